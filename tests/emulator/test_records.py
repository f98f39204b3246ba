"""Every emulator record names a field of its own as its key."""

from __future__ import annotations

import dataclasses

from modelstudio_emulator import records


def test_each_record_kind_keys_on_one_of_its_fields() -> None:
    kinds: list[type[records.Record]] = [
        records.FileRecord,
        records.JobRecord,
        records.DeploymentRecord,
        records.TaskRecord,
    ]
    assert set(kinds) == set(records.Record.__subclasses__())
    for kind in kinds:
        assert kind.key_field in {field.name for field in dataclasses.fields(kind)}, kind.__name__
    assert len({kind.kind for kind in kinds}) == len(kinds)
