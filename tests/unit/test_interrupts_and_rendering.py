"""What the engine prints for check failures and progress, and pickling providers into state."""

from __future__ import annotations

from pulumi.dynamic import CheckFailure
from pulumi_modelstudio.resources._base import readable_failures, whole_numbers
from pulumi_modelstudio.resources._training import TrainingProgress, span


def test_whole_numbers_come_back_as_declared() -> None:
    assert whole_numbers({"max_steps": 33.0, "lr": 3e-05, "sizes": [1.0, 2.5], "name": "x"}) == {
        "max_steps": 33,
        "lr": 3e-05,
        "sizes": [1, 2.5],
        "name": "x",
    }
    assert isinstance(whole_numbers(33.0), int)


def test_nested_or_unset_properties_go_into_the_reason() -> None:
    inputs = {"capacity": 2000, "hyper_parameters": {"max_steps": 0}, "model_name": None}
    failures = [
        CheckFailure("capacity", "2000 must be from 0 to 999"),
        CheckFailure("hyper_parameters.max_steps", "0: must be at least 1"),
        CheckFailure("model_name", "needs a model"),
        CheckFailure("", "general"),
    ]
    shown = [(f.property, f.reason) for f in readable_failures(failures, inputs)]
    assert shown == [
        ("capacity", "2000 must be from 0 to 999"),
        ("", "hyper_parameters.max_steps: 0: must be at least 1"),
        ("", "model_name: needs a model"),
        ("", "general"),
    ]


def test_progress_reads_as_one_line() -> None:
    assert span(30) == "under a minute"
    assert span(40 * 60) == "40 min"
    assert span(128 * 60) == "2 h 08 min"
    running = TrainingProgress("ft-1", "RUNNING", 300, 800, ["checkpoint-200"], 128 * 60)
    assert running.describe() == "RUNNING, step 300/800 (37%), checkpoint-200 saved, about 2 h 08 min left"
    queued = TrainingProgress("ft-2", "QUEUING", None, 800)
    assert queued.describe() == "QUEUING (waiting for the account's training slot: one job trains at a time)"
    assert running.as_output()["eta_minutes"] == 128


def test_hundreds_of_dynamic_resources_do_not_exhaust_the_pickler() -> None:
    import pulumi.dynamic.dynamic as sdk_dynamic
    from pulumi_modelstudio.resources._pickling import flat_pickler, serialize_provider
    from pulumi_modelstudio.resources.fine_tune_job import FineTuneJobProvider

    first = serialize_provider(FineTuneJobProvider())
    for _ in range(1500):  # the SDK alone stacks one more layer per call: RecursionError long before this
        assert serialize_provider(FineTuneJobProvider()) == first
        flat_pickler()  # what every resource of this package does before the SDK pickles its provider
        assert sdk_dynamic.serialize_provider(FineTuneJobProvider()) == first
