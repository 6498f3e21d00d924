"""The confirm queue: every id once, refusals that never block the rest, transient retries."""

from __future__ import annotations

from typing import List

from hypothesis import given, settings
from hypothesis import strategies as st

from thg_connect_core._confirm_queue import MAX_ATTEMPTS, ConfirmQueue


def test_an_id_is_listed_once_even_when_queued_again_or_while_it_is_being_sent() -> None:
    queue = ConfirmQueue()
    for event_id in ["a", "b", "a", "c", "b"]:
        queue.add(event_id)
    assert queue.take(0) == ["a", "b", "c"]
    queue.add("a")  # redelivered and handled while its confirm is out: not queued again
    assert queue.take(0) == [] and queue.busy
    queue.done(3, 0)
    assert len(queue) == 0


def test_a_refused_batch_is_bisected_down_to_the_culprit_and_the_rest_confirmed() -> None:
    queue = ConfirmQueue()
    ids = [str(i) for i in range(8)]
    for event_id in ids:
        queue.add(event_id)
    confirmed: List[str] = []
    dropped: List[str] = []
    while len(queue):
        batch = queue.take(0)
        if "5" in batch:
            for drop in queue.failed(0, status=422):
                dropped.extend(drop.ids)
        else:
            confirmed.extend(batch)
            queue.done(len(batch), 0)
    assert dropped == ["5"] and sorted(confirmed) == [i for i in ids if i != "5"]
    assert queue.refused == 1


def test_error_pointers_name_the_refused_ids_and_the_others_go_again_at_once() -> None:
    queue = ConfirmQueue()
    for event_id in "abcd":
        queue.add(event_id)
    assert queue.take(0) == list("abcd")
    drops = queue.failed(0, status=422, pointers=["/data/attributes/eventIds/2"])
    assert [d.ids for d in drops] == [("c",)]
    assert queue.take(0) == ["a", "b", "d"]


def test_transient_failures_back_off_without_blocking_newer_ids_then_give_up() -> None:
    queue = ConfirmQueue()
    queue.add("old")
    assert queue.take(0) == ["old"]
    assert queue.failed(0, status=503) == []
    queue.add("new")
    assert queue.take(0) == ["new"]  # "old" waits for its backoff; "new" is not held up
    queue.done(1, 0)
    assert queue.take(0.1) == [] and queue.take(0.3) == ["old"]
    assert queue.failed(1, status=429, retry_after=60) == []
    assert queue.next_due() == 61
    now = 61.0
    for _ in range(MAX_ATTEMPTS - 3):  # two failures above; the last one below
        assert queue.take(now) == ["old"]
        assert queue.failed(now, status=None) == []
        now += 100
    assert queue.take(now) == ["old"]
    assert [d.ids for d in queue.failed(now, status=None)] == [("old",)]
    assert len(queue) == 0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("abcdefgh", min_size=1, max_size=2), max_size=40),
    st.lists(st.sampled_from([200, 422, 404, 503, None]), max_size=60),
    st.integers(1, 100),
)
def test_no_request_lists_an_id_twice_and_every_id_is_settled_or_dropped(
    ids: List[str], outcomes: List[object], batch: int
) -> None:
    queue = ConfirmQueue(batch)
    for event_id in ids:
        queue.add(event_id)
    settled: List[str] = []
    now = 0.0
    for outcome in outcomes + [200] * (len(ids) * 20 + 10):
        sent = queue.take(now)
        assert len(sent) == len(set(sent)) <= batch
        if sent:
            if outcome == 200:
                queue.done(len(sent), 0)
                settled.extend(sent)
            else:
                for drop in queue.failed(now, status=outcome):  # type: ignore[arg-type]
                    settled.extend(drop.ids)
        now += 11.0
        if not len(queue):
            break
    assert len(queue) == 0 and sorted(set(settled)) == sorted(set(ids))
    assert len(settled) == len(set(ids))  # nobody settled twice
