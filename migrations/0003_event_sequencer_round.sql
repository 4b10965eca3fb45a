-- One round of the event sequencer (server/src/modules/realtime/events.ts) in one call, so a round costs one round
-- trip instead of five (check, BEGIN, lock, number, COMMIT). Called as an autocommit statement: its advisory lock
-- is held until that statement's transaction commits. In READ COMMITTED each statement below takes a new snapshot,
-- so the numbering, which runs after the lock is granted, sees every round committed before it.
CREATE OR REPLACE FUNCTION nabij_number_events(batch integer, channel text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  numbered integer;
  newest bigint;
BEGIN
  -- Cheap when idle: the partial index holds only unnumbered events. No lock taken then.
  IF NOT EXISTS (SELECT 1 FROM events WHERE position IS NULL) THEN
    RETURN 0;
  END IF;
  -- The one lock that serialises the sequencers of every instance (0x6e61626a).
  PERFORM pg_advisory_xact_lock(1851877994);
  WITH waiting AS (
    SELECT id FROM events WHERE position IS NULL ORDER BY id LIMIT batch
  ), numbered_rows AS (
    SELECT id, nextval('event_position_seq') AS position FROM waiting
  ), updated AS (
    UPDATE events e SET position = n.position FROM numbered_rows n WHERE e.id = n.id RETURNING e.position
  )
  SELECT count(*), max(position) INTO numbered, newest FROM updated;
  IF numbered > 0 THEN
    PERFORM pg_notify(channel, newest::text);
  END IF;
  RETURN numbered;
END
$$;
