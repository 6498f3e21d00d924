"""The confirm queue: one confirm per event, each listed once, the newest handle sent, refusals
that never block the rest, 404 as already gone, transient retries."""

from __future__ import annotations

from typing import Dict, List, Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from thg_connect_core._confirm_queue import MAX_ATTEMPTS, ConfirmQueue


def keys(batch: List[tuple]) -> List[str]:  # type: ignore[type-arg]
    return [key for key, _ in batch]


def test_an_event_is_listed_once_even_when_queued_again_or_while_it_is_being_sent() -> None:
    queue = ConfirmQueue()
    for key in ["a", "b", "a", "c", "b"]:
        queue.add(key, f"h-{key}")
    assert queue.take(0) == [("a", "h-a"), ("b", "h-b"), ("c", "h-c")]
    queue.add("a", "h-a2")  # redelivered and handled while its confirm is out: not queued again
    assert queue.take(0) == [] and queue.busy
    for key in "abc":
        queue.settled(key)
    assert len(queue) == 0 and not queue.busy and queue.confirmed == 3


def test_a_waiting_confirm_sends_the_handle_of_the_newest_delivery() -> None:
    queue = ConfirmQueue()
    queue.add("a", "h1")
    queue.renew("a", "h2")  # delivered again (a new handle) before its confirm went out
    queue.renew("zzz", "h9")  # not queued: nothing to renew
    assert queue.take(0) == [("a", "h2")] and "zzz" not in queue


def test_a_refused_confirm_drops_that_event_alone_and_404_settles_it() -> None:
    queue = ConfirmQueue()
    for key in "abcd":
        queue.add(key, key.upper())
    assert keys(queue.take(0)) == list("abcd")
    drops = queue.failed("c", 0, status=422)
    assert [d.ids for d in drops] == [("C",)] and queue.refused == 1
    assert queue.failed("b", 0, status=404) == [] and queue.not_found == 1  # already gone
    queue.settled("a")
    queue.settled("d", found=False)
    assert len(queue) == 0 and (queue.confirmed, queue.not_found) == (1, 2)


def test_transient_failures_back_off_without_blocking_newer_events_then_give_up() -> None:
    queue = ConfirmQueue()
    queue.add("old", "h-old")
    assert keys(queue.take(0)) == ["old"]
    assert queue.failed("old", 0, status=503) == []
    queue.add("new", "h-new")
    assert keys(queue.take(0)) == ["new"]  # "old" waits for its backoff; "new" is not held up
    queue.settled("new")
    assert queue.take(0.1) == [] and keys(queue.take(0.3)) == ["old"]
    assert queue.failed("old", 1, status=429, retry_after=60) == []
    assert queue.next_due() == 61
    now = 61.0
    for _ in range(MAX_ATTEMPTS - 3):  # two failures above; the last one below
        assert keys(queue.take(now)) == ["old"]
        assert queue.failed("old", now, status=None) == []
        now += 100
    assert keys(queue.take(now)) == ["old"]
    assert [d.ids for d in queue.failed("old", now, status=None)] == [("h-old",)]
    assert len(queue) == 0


def test_retried_confirms_keep_their_order_ahead_of_newer_ones() -> None:
    queue = ConfirmQueue()
    for key in "abc":
        queue.add(key, key)
    queue.take(0)
    queue.add("d", "d")
    for key in "abc":
        queue.failed(key, 0, status=503)
    assert keys(queue.take(1.0)) == ["a", "b", "c", "d"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text("abcdefgh", min_size=1, max_size=2), max_size=40),
    st.lists(st.sampled_from([200, 422, 404, 503, None]), max_size=60),
    st.integers(1, 100),
)
def test_no_round_lists_an_event_twice_and_every_event_is_settled_or_dropped(
    ids: List[str], outcomes: List[Optional[int]], batch: int
) -> None:
    queue = ConfirmQueue(batch)
    handles: Dict[str, str] = {}
    for key in ids:
        handles[key] = f"h-{key}-{len(handles)}"
        queue.add(key, handles[key])
    settled: List[str] = []
    now = 0.0
    results = iter(outcomes + [200] * (len(ids) * 20 + 10))
    for _ in range(len(ids) * 30 + 10):
        sent = queue.take(now)
        assert len(keys(sent)) == len(set(keys(sent))) <= batch
        for key, handle in sent:
            assert handle == handles[key]
            outcome = next(results)
            if outcome == 200:
                queue.settled(key)
                settled.append(key)
            else:
                drops = queue.failed(key, now, status=outcome)
                if outcome in (404, 422) or drops:
                    settled.append(key)
        now += 11.0
        if not len(queue):
            break
    assert len(queue) == 0 and sorted(set(settled)) == sorted(set(ids))
    assert len(settled) == len(set(ids))  # nobody settled twice
