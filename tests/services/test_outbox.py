"""The outbox: record, claim, mark sent, retry with backoff, closed DMs — against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.outbox import (
    AttachmentRef,
    ButtonSpec,
    ButtonStyle,
    OutboxItem,
    OutboxState,
    OutgoingMessage,
    Purpose,
    TargetKind,
    backoff,
)
from bot.domain.roster import ERASED_ID
from bot.runtime.wiring import Services
from bot.storage.db import Database
from tests.conftest import ALICE, BOB, SECRETARY_CHANNEL, World, make_world
from tests.services.conftest import GUILD, OTHER_GUILD


def dm(key: str, user: int = ALICE, text: str = "Hei!") -> OutboxItem:
    return OutboxItem.dm(key, user, OutgoingMessage(text), Purpose.OTHER)


async def states(db: Database) -> list[tuple[str, str, int]]:
    rows = await db.fetchall("SELECT dedupe_key, state, attempts FROM outbox ORDER BY id")
    return [(r[0], r[1], r[2]) for r in rows]


def test_outgoing_message_round_trips_through_json():
    message = OutgoingMessage(
        "Innkalling «møte» 📅",
        buttons=(ButtonSpec("council:rsvp:1:2:yes", "Kommer", ButtonStyle.SUCCESS),),
        attachments=(AttachmentRef("minutes", "7:docx"),),
        mention_user_id=ALICE,
    )
    assert OutgoingMessage.from_json(message.to_json()) == message
    assert '"v":1' in message.to_json()
    with pytest.raises(ValueError, match="custom_id"):
        ButtonSpec("rsvp:1", "x")
    with pytest.raises(ValueError, match="version"):
        OutgoingMessage.from_json('{"v": 99, "content": "x"}')


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(50) == timedelta(hours=1)


async def test_a_stored_row_holds_the_item_that_was_enqueued(services: Services, world: World):
    message = OutgoingMessage(
        "Referat fra møte 3",
        buttons=(ButtonSpec("council:rsvp:3:2:yes", "Kommer", ButtonStyle.SUCCESS),),
        attachments=(AttachmentRef("minutes", "3:md"),),
    )
    item = OutboxItem("minutes:3", TargetKind.CHANNEL, SECRETARY_CHANNEL, message, Purpose.MINUTES_COPY, 3, 2)
    outbox_id = await services.outbox.enqueue(GUILD, item)
    assert outbox_id is not None
    row = await services.outbox.repo.by_key(GUILD, "minutes:3")
    assert row is not None
    assert (row.id, row.guild_id, row.item, row.state, row.attempts) == (
        outbox_id,
        GUILD,
        item,
        OutboxState.PENDING,
        0,
    )


async def test_enqueue_is_idempotent_by_dedupe_key(services: Services, world: World, db: Database):
    woken = []
    services.outbox.set_notify(lambda: woken.append(1))
    first = await services.outbox.enqueue(GUILD, dm("k1"))
    assert first is not None
    assert await services.outbox.enqueue(GUILD, dm("k1", text="different")) is None
    assert await states(db) == [("k1", "pending", 0)]
    assert woken == [1]
    # The same key in another server is another message.
    assert await services.outbox.enqueue(OTHER_GUILD, dm("k1")) is not None


async def test_enqueue_many_keeps_order_skips_used_keys_and_erased_people(
    services: Services, world: World, db: Database
):
    woken = []
    services.outbox.set_notify(lambda: woken.append(1))
    await services.outbox.enqueue(GUILD, dm("k1"))
    # More than one multi-row statement's worth, a used key, a key twice in the batch, an erased person.
    items = [dm(f"m{i}", user=ALICE + i) for i in range(250)]
    items[:0] = [dm("k1", text="again"), dm("m0", text="twice"), dm("gone", user=ERASED_ID)]
    assert await services.outbox.enqueue_many(GUILD, items) == 250
    assert await states(db) == [("k1", "pending", 0)] + [(f"m{i}", "pending", 0) for i in range(250)]
    rows = await services.outbox.repo.rows(GUILD)
    assert [r.item.message.content for r in rows[:2]] == ["Hei!", "twice"]  # the first of a key twice wins
    assert woken == [1, 1]
    assert await services.outbox.enqueue_many(GUILD, items) == 0
    assert await services.outbox.enqueue_many(GUILD, []) == 0
    assert woken == [1, 1]


async def test_enqueue_inside_a_failed_transaction_leaves_nothing(services: Services, world: World, db: Database):
    async def decide_then_fail() -> None:
        async with db.transaction():
            await services.outbox.enqueue(GUILD, dm("k1"))
            raise RuntimeError("the decision failed")

    with pytest.raises(RuntimeError):
        await decide_then_fail()
    assert await states(db) == []


async def test_claim_mark_sent(services: Services, world: World, db: Database, clock):
    await services.outbox.enqueue(GUILD, dm("a"))
    await services.outbox.enqueue(GUILD, dm("b", BOB))
    claimed = await services.outbox.claim_due(10)
    assert [(r.item.dedupe_key, r.state, r.attempts) for r in claimed] == [("a", "sending", 1), ("b", "sending", 1)]
    assert claimed[0].nonce == f"council-{claimed[0].id}"
    assert await services.outbox.claim_due(10) == []  # claimed rows are not handed out twice
    await services.outbox.mark_sent(claimed[0], 555)
    row = await db.fetchone("SELECT state, message_id, sent_at FROM outbox WHERE dedupe_key = 'a'")
    assert row is not None and (row[0], row[1]) == ("sent", 555) and row[2] is not None
    # A claim that lapsed (the process died mid-send) is handed out again, with the same nonce.
    clock.advance(timedelta(minutes=3))
    again = await services.outbox.claim_due(10)
    assert [(r.item.dedupe_key, r.attempts, r.nonce) for r in again] == [("b", 2, claimed[1].nonce)]


async def test_restart_requeues_rows_left_mid_send(services: Services, world: World, db: Database):
    await services.outbox.enqueue(GUILD, dm("a"))
    await services.outbox.claim_due(10)
    assert await services.outbox.release_stale_claims() == 1
    assert [r.item.dedupe_key for r in await services.outbox.claim_due(10)] == ["a"]


async def test_batch_size_limits_a_claim(services: Services, world: World):
    for n in range(5):
        await services.outbox.enqueue(GUILD, dm(f"k{n}", user=ALICE + n))
    assert len(await services.outbox.claim_due(2)) == 2
    assert len(await services.outbox.claim_due(10)) == 3


async def test_a_claim_takes_only_the_oldest_owed_message_of_each_recipient(services: Services, world: World):
    for key, user in [("a1", ALICE), ("b1", BOB), ("a2", ALICE), ("a3", ALICE), ("b2", BOB)]:
        await services.outbox.enqueue(GUILD, dm(key, user=user))
    first = await services.outbox.claim_due(10)
    assert [r.item.dedupe_key for r in first] == ["a1", "b1"]
    assert await services.outbox.claim_due(10) == []  # the next ones wait until these are done
    await services.outbox.mark_sent(first[0], 1)
    assert [r.item.dedupe_key for r in await services.outbox.claim_due(10)] == ["a2"]
    # A failure waiting for its retry still holds back the later messages to the same person.
    await services.outbox.mark_failed(first[1], "HTTP 503")
    assert await services.outbox.claim_due(10) == []


async def test_a_claimed_dm_carries_the_remembered_channel(services: Services, world: World):
    await services.outbox.remember_dm_channel(GUILD, ALICE, 555)
    await services.outbox.enqueue(GUILD, dm("a", user=ALICE))
    await services.outbox.enqueue(GUILD, dm("b", user=BOB))
    claimed = {r.item.target_id: r.dm_channel_id for r in await services.outbox.claim_due(10)}
    assert claimed == {ALICE: 555, BOB: None}
    await services.outbox.forget_dm_channel(GUILD, ALICE, 999)  # not the stored one: kept
    assert await services.outbox.repo.dm_channel(GUILD, ALICE) == 555
    assert await services.outbox.repo.dm_channel(OTHER_GUILD, ALICE) is None
    await services.outbox.forget_dm_channel(GUILD, ALICE, 555)
    assert await services.outbox.repo.dm_channel(GUILD, ALICE) is None


async def test_failures_back_off_then_give_up_with_one_alert(services: Services, world: World, db: Database, clock):
    await services.outbox.enqueue(GUILD, dm("a"))
    max_attempts = services.outbox.config.max_attempts
    for attempt in range(1, max_attempts):
        (row,) = await services.outbox.claim_due(10)
        assert row.attempts == attempt
        assert await services.outbox.mark_failed(row, "HTTP 503") is False
        assert await services.outbox.claim_due(10) == []  # not before the backoff
        clock.advance(backoff(attempt))
    (row,) = await services.outbox.claim_due(10)
    assert await services.outbox.mark_failed(row, "HTTP 503") is True
    assert (await states(db))[0] == ("a", "failed", max_attempts)
    alerts = await db.fetchall("SELECT target_kind, target_id, payload FROM outbox WHERE purpose = 'alert'")
    assert len(alerts) == 1
    assert (alerts[0][0], alerts[0][1]) == (TargetKind.CHANNEL.value, SECRETARY_CHANNEL)
    assert "8 forsøk" in OutgoingMessage.from_json(alerts[0][2]).content


async def test_a_failing_alert_is_not_alerted_about(services: Services, world: World, db: Database):
    await services.outbox.alert(GUILD, "alert:x", OutgoingMessage("⚠️ noe"))
    (row,) = await services.outbox.claim_due(10)
    assert await services.outbox.mark_failed(row, "Forbidden 50001", permanent=True) is True
    assert await states(db) == [("alert:x", "failed", 1)]


async def test_closed_dms_mark_the_member_and_alert_once(services: Services, world: World, db: Database):
    await services.outbox.enqueue(GUILD, dm("a"))
    await services.outbox.enqueue(GUILD, dm("b"))
    (first,) = await services.outbox.claim_due(10)
    await services.outbox.mark_closed_dms(first)
    claimed = await services.outbox.claim_due(10)  # the next one to the same member, and the alert
    (second,) = [r for r in claimed if r.item.dedupe_key == "b"]
    await services.outbox.mark_closed_dms(second)
    assert [s for _k, s, _a in await states(db)][:2] == ["undeliverable", "undeliverable"]
    assert await services.outbox.closed_dms(GUILD) == {ALICE}
    assert await services.outbox.closed_dms(OTHER_GUILD) == set()
    alerts = [r for r in claimed + await services.outbox.claim_due(10) if r.item.purpose is Purpose.ALERT]
    assert len(alerts) == 1
    assert alerts[0].item.message.mention_user_id == ALICE
    assert f"<@{ALICE}>" in alerts[0].item.message.content
    # A DM that gets through later clears the mark, so a new failure is reported again.
    await services.outbox.enqueue(GUILD, dm("c"))
    (third,) = await services.outbox.claim_due(10)
    await services.outbox.mark_sent(third, 1)
    assert await services.outbox.closed_dms(GUILD) == set()


async def test_rows_of_another_server_stay_there(services: Services, world: World):
    await make_world(services, OTHER_GUILD)
    await services.outbox.enqueue(
        OTHER_GUILD, OutboxItem.dm("x", ALICE, OutgoingMessage("x"), Purpose.OTHER, meeting_id=1)
    )
    assert await services.outbox.for_meeting(GUILD, 1) == []
    assert len(await services.outbox.for_meeting(OTHER_GUILD, 1)) == 1


async def test_dropping_pending_reminders_of_a_meeting(services: Services, world: World, db: Database):
    reminder = OutboxItem.dm("r", ALICE, OutgoingMessage("⏰"), Purpose.REMINDER, meeting_id=4)
    invitation = OutboxItem.dm("i", ALICE, OutgoingMessage("📅"), Purpose.INVITATION, meeting_id=4)
    await services.outbox.enqueue(GUILD, reminder)
    await services.outbox.enqueue(GUILD, invitation)
    assert await services.outbox.drop_pending(GUILD, 4, (Purpose.REMINDER,)) == 1
    assert {k: s for k, s, _a in await states(db)} == {"r": OutboxState.DROPPED.value, "i": "pending"}
