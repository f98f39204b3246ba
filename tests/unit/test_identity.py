"""Owner keys and the names built from them: stable, bounded, distinct per stack, recognisable."""

from __future__ import annotations

import re

from pulumi_modelstudio.core.identity import (
    MAX_NAME,
    Owner,
    canonical,
    deployment_name,
    deployment_suffix,
    export_name,
    job_name,
    parse_job_name,
    parse_upload_name,
    spec_digest,
    upload_name,
)

SHA = "f09b6e28babd9b62313fcf31be2b20e090c663bed1fd64d8cf8b50fa7bd879e9"


def test_owner_key_is_stable_and_differs_per_project_stack_and_resource() -> None:
    dev = Owner("modelstudio-lora", "dev", "product-shots-train")
    assert dev.key == Owner("modelstudio-lora", "dev", "product-shots-train").key
    assert re.fullmatch(r"[0-9a-f]{8}", dev.key)
    others = {
        Owner("modelstudio-lora", "staging", "product-shots-train").key,
        Owner("other", "dev", "product-shots-train").key,
        Owner("modelstudio-lora", "dev", "product-shots-val").key,
    }
    assert dev.key not in others
    assert len(others) == 3


def test_owner_round_trips_as_plain_data() -> None:
    owner = Owner("p", "s", "r")
    assert Owner.from_data(owner.as_data()) == owner
    assert Owner.from_data(None) is None
    assert Owner.from_data({"project": "p", "stack": "", "resource": "r"}) is None


def test_upload_names_carry_the_owner_and_prove_the_stack() -> None:
    owner = Owner("modelstudio-lora", "dev", "product-shots-train")
    name = upload_name(owner, SHA)
    assert name == f"product-shots-train-{owner.key}-f09b6e28babd.zip"
    assert parse_upload_name(name) == ("product-shots-train", owner.key, "f09b6e28babd")
    assert owner.owns_upload(name)
    assert Owner("modelstudio-lora", "dev", "another-resource").owns_upload(name)  # same stack
    assert not Owner("modelstudio-lora", "staging", "product-shots-train").owns_upload(name)
    assert not owner.owns_upload("product-shots-train-f09b6e28babd.zip")  # an earlier release's name


def test_job_names_are_bounded_and_parse_back() -> None:
    owner = Owner("modelstudio-lora", "staging", "a-very-long-resource-name-" * 4)
    spec = spec_digest({"model": "wan2.7-image-pro", "hyper_parameters": {"max_steps": 800}})
    name = job_name(owner, spec)
    assert len(name) <= MAX_NAME
    parsed = parse_job_name(name)
    assert parsed is not None
    assert parsed[1:] == (owner.key, spec[:10])
    assert name.startswith("modelstudio-lora-staging-a-very-long")


def test_spec_digest_ignores_transport_noise_only() -> None:
    declared = {"model": "m", "hyper_parameters": {"max_steps": 800, "max_pixels": "2k"}, "training": ["a"]}
    transported = {"model": "m", "hyper_parameters": {"max_pixels": "2K", "max_steps": 800.0}, "training": ["a"]}
    assert spec_digest(declared) == spec_digest(transported)
    assert spec_digest(declared) != spec_digest({**declared, "training": ["b"]})
    assert canonical({"a": None, "b": 1.0}) == {"b": 1}


def test_export_and_deployment_names() -> None:
    owner = Owner("modelstudio-lora", "prod", "product-shots-deploy")
    job_id = "ft-202606031245-9277"
    exported = export_name(owner, job_id)
    assert exported.endswith(f"-{owner.key}-{job_id}")
    assert len(exported) <= MAX_NAME
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", exported)
    assert deployment_name(owner) == f"modelstudio-lora-prod-product-shots-deploy-{owner.key}"
    suffix = deployment_suffix(owner, "m-c800")
    assert re.fullmatch(r"[0-9a-f]{8}", suffix)
    assert suffix != deployment_suffix(owner, "m-c600")
    assert suffix != deployment_suffix(Owner("modelstudio-lora", "staging", "product-shots-deploy"), "m-c800")
