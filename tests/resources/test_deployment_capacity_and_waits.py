"""LoRA capacity is informational (never scaled), and deployment waits stop on statuses that do not recover."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi_modelstudio.client import ModelStudioClient
from pulumi_modelstudio.core.deployment.service import wait_running
from pulumi_modelstudio.core.values import PROVIDER_KEY
from pulumi_modelstudio.datasets.pack import pack_dataset
from pulumi_modelstudio.errors import ProvisioningError
from pulumi_modelstudio.resources.deployment import DeploymentProvider
from pulumi_modelstudio.settings.config import ConnectionConfig
from pulumi_modelstudio.settings.open_client import open_client
from pulumi_modelstudio.wire.deployments import CreateDeploymentRequest
from pulumi_modelstudio.wire.fine_tunes import CreateFineTuneRequest

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-deployment-waits"
INPUTS = {"resource_name": "d", "model_name": "m", "capacity": 1, "plan": "lora", "timeout_minutes": 30}


@pytest.fixture
def client(emulator: Any) -> Iterator[ModelStudioClient]:
    """A client whose waits run on the emulator's simulated clock, as the providers' clients do."""
    speed = float(emulator.control("health")["speed"])
    with open_client(ConnectionConfig(api_key=KEY, endpoint=emulator.api_url, time_scale=speed)) as c:
        yield c


def _deployment(client: ModelStudioClient, emulator: Any, tmp_path: Path) -> str:
    """A RUNNING LoRA deployment of a short training run."""
    packed = pack_dataset(REPO / "stacks" / "datasets" / "product-t2i", tmp_path / "train.zip")
    file_id = client.files.upload(packed.path).file_id
    job = client.fine_tunes.create(
        CreateFineTuneRequest(
            model="wan2.7-image",
            training_file_ids=[file_id],
            hyper_parameters={"generation_type": "t2i", "max_steps": 10, "eval_steps": 10},
        )
    )
    emulator.control("clock", "POST", {"advance_seconds": 60 + 10 * 15.4 + 1})
    model = str(client.fine_tunes.get(job.job_id).finetuned_output)
    deployment = client.deployments.create(CreateDeploymentRequest(model_name=model, capacity=1))
    emulator.control("clock", "POST", {"advance_seconds": 301})
    return deployment.deployed_model


def test_a_capacity_other_than_1_is_accepted_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    checked = DeploymentProvider().check({}, dict(INPUTS, capacity=3))
    assert checked.failures == []
    warning = capsys.readouterr().err
    assert "capacity 3" in warning
    assert "no effect on LoRA deployments" in warning
    assert "console" in warning
    assert DeploymentProvider().check({}, dict(INPUTS, capacity=-1)).failures


def test_a_capacity_change_is_not_an_update_and_never_calls_scale(emulator: Any) -> None:
    provider = DeploymentProvider()
    olds = dict(INPUTS, deployed_model="m", status="RUNNING", base_model="wan2.7-image")
    news = dict(INPUTS, capacity=3, **{PROVIDER_KEY: "p"})
    assert not provider.diff("m", olds, news).changes
    outs = provider.update("m", olds, news).outs or {}
    assert (outs["capacity"], outs["deployed_model"]) == (3, "m")
    assert emulator.control("requests") == []


def test_the_emulator_refuses_to_scale_a_lora_deployment(
    client: ModelStudioClient, emulator: Any, tmp_path: Path
) -> None:
    deployed = _deployment(client, emulator, tmp_path)
    answer = httpx.put(
        f"{emulator.api_url}/deployments/{deployed}/scale",
        json={"deployed_model": deployed, "capacity": 2},
        headers={"Authorization": f"Bearer {KEY}"},
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "UnsupportedOperation")
    assert "console" in answer.json()["message"]


@pytest.mark.parametrize(
    ("status", "meaning"),
    [
        ("FAILED", "could not start"),
        ("UPDATING_FAILED", "failed"),
        ("STOPPED", "stopped"),
        ("ARREARS_DOWN", "arrears"),
        ("OFFLINING", "offline"),
    ],
)
def test_the_wait_stops_with_the_status_its_meaning_and_the_fix(
    client: ModelStudioClient, emulator: Any, tmp_path: Path, status: str, meaning: str
) -> None:
    deployed = _deployment(client, emulator, tmp_path)
    emulator.control(f"deployments/{deployed}/status", "POST", {"status": status})
    with pytest.raises(ProvisioningError) as err:
        wait_running(client, deployed, 30, "d")
    text = str(err.value)
    assert deployed in text
    assert status in text
    assert meaning in text
    assert "Fix:" in text


def test_the_wait_goes_on_through_arrears_recovery(client: ModelStudioClient, emulator: Any, tmp_path: Path) -> None:
    deployed = _deployment(client, emulator, tmp_path)
    emulator.control(f"deployments/{deployed}/status", "POST", {"status": "ARREARS_RECOVERING", "seconds": 6000})
    assert client.deployments.get(deployed).status == "ARREARS_RECOVERING"
    patient = 30000  # simulated minutes, on the emulator's clock
    assert wait_running(client, deployed, patient, "d").status == "RUNNING"
