"""One consumer process for the scale-out workflow: consume a subscription until SIGTERM,
appending each handled event id to a file (one per line, flushed as it goes).

    python -m tests.e2e.consumer_process BASE_URL ORG SUBSCRIPTION OUTFILE WINDOW_SECONDS [BATCH]

WINDOW_SECONDS is the sandbox's visibility window (the consumer is told it); BATCH is the most
events polled and held at once (20 by default), which bounds the re-runs a SIGKILL can cause.
"""

from __future__ import annotations

import sys

from thg_connect import Client, ClientConfig
from thg_connect_core import ConsumerSettings, Event, Secret


def main() -> None:
    base_url, org, subscription, outfile, window = sys.argv[1:6]
    batch = int(sys.argv[6]) if len(sys.argv) > 6 else 20
    config = ClientConfig(
        client_id=org,
        client_secret=Secret(f"{org}-sandbox-secret"),
        owner=org,
        base_url=base_url,
        token_url=f"{base_url}/oauth/token",
        audience=base_url,
    )
    with Client(config) as client, open(outfile, "a", encoding="utf-8") as out:

        def handle(event: Event) -> None:
            out.write(event.entity_id + "\n")
            out.flush()

        settings = ConsumerSettings(
            concurrency=4,
            max_in_flight=batch,
            max_events=batch,
            wait_time_seconds=1,
            visibility_window=float(window),
            safety_margin=float(window) / 10,
        )
        consumer = client.consumer(subscription, handle, settings=settings)
        print("ready", flush=True)
        state = consumer.run()
        print(f"handled={state.handled} failed={state.failed}", flush=True)


if __name__ == "__main__":
    main()
