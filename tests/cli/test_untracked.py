"""Which jobs `modelstudio jobs untracked` considers this stack's, from an exported state and job names."""

from __future__ import annotations

from typing import Any

from pulumi_modelstudio.cli.untracked import owned_by_stack, tracked_jobs
from pulumi_modelstudio.core.identity import Owner, job_name, spec_digest, upload_name
from pulumi_modelstudio.wire.fine_tunes import FineTuneJob

TRAINING = {"model": "wan2.7-image-pro", "training_file_ids": ["f"], "hyper_parameters": {"max_steps": 800}}


def deterministic_job_name(project: str, stack: str, resource: str, training: dict[str, Any]) -> str:
    return job_name(Owner(project, stack, resource), spec_digest(training))


def _job(name: str, job_id: str = "ft-202606030110-abcd") -> FineTuneJob:
    return FineTuneJob(job_id=job_id, job_name=name, status="RUNNING")


def test_tracked_jobs_come_from_resources_and_pending_creates() -> None:
    state = {
        "deployment": {
            "resources": [
                {"type": "pulumi-python:dynamic/modelstudio:FineTuneJob", "id": "ft-1", "urn": "urn:x::m-job"},
                {"type": "pulumi-python:dynamic/modelstudio:Deployment", "id": "d", "urn": "urn:x::m-deploy"},
            ],
            "pending_operations": [
                {"resource": {"type": "pulumi-python:dynamic/modelstudio:FineTuneJob", "urn": "urn:x::n-job"}}
            ],
        }
    }
    assert tracked_jobs(state) == ({"ft-1"}, {"m-job", "n-job"})


def test_a_job_is_this_stacks_by_name_but_never_another_stacks_with_a_longer_name() -> None:
    owned = owned_by_stack("proj", "dev", [], other_stacks=["dev", "dev-eu", "staging"])
    assert owned(_job(deterministic_job_name("proj", "dev", "m-job", TRAINING)))
    assert not owned(_job(deterministic_job_name("proj", "dev-eu", "m-job", TRAINING)))
    assert not owned(_job(deterministic_job_name("proj", "staging", "m-job", TRAINING)))
    assert not owned(_job(deterministic_job_name("other", "dev", "m-job", TRAINING)))
    assert not owned(_job("ft-202606030110-abcd"))  # the service's own name: nothing proves it is ours


def test_package_jobs_are_tracked_too() -> None:
    state = {
        "deployment": {"resources": [{"type": "modelstudio:index:FineTuneJob", "id": "ft-7", "urn": "urn:x::m-job"}]}
    }
    assert tracked_jobs(state) == ({"ft-7"}, {"m-job"})


def test_a_job_named_by_its_id_is_this_stacks_when_every_file_it_trains_on_is_this_stacks_upload() -> None:
    files = {
        "dev-data": upload_name(Owner("proj", "dev", "m-data"), "a" * 64),
        "dev-val": upload_name(Owner("proj", "dev", "m-val"), "b" * 64),
        "eu-data": upload_name(Owner("proj", "dev-eu", "m-data"), "a" * 64),
        "plain": "train.zip",
    }
    owned = owned_by_stack("proj", "dev", [], file_name=files.get)

    def job(training: list[str], validation: list[str] | None = None) -> FineTuneJob:
        job_id = "ft-202606030110-abcd"
        return FineTuneJob(
            job_id=job_id,
            job_name=job_id,
            status="RUNNING",
            training_file_ids=training,
            validation_file_ids=validation or [],
        )

    assert owned(job(["dev-data"], ["dev-val"]))
    assert not owned(job(["eu-data"]))  # another stack's upload
    assert not owned(job(["dev-data", "eu-data"]))  # one file that is not this stack's is enough
    assert not owned(job(["dev-data"], ["plain"]))  # an upload of no Dataset
    assert not owned(job(["gone"]))  # the file was deleted: nothing proves whose the job is
    assert not owned(job([]))
    assert not owned_by_stack("proj", "dev", [])(job(["dev-data"]))  # no way to look files up
    named = FineTuneJob(job_id="ft-1", job_name="my-console-run", status="RUNNING", training_file_ids=["dev-data"])
    assert not owned(named)  # a name a person chose: the job is theirs, whatever data it trains on
