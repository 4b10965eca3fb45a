CREATE SEQUENCE "public"."event_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "position" bigint;--> statement-breakpoint
-- Events written so far committed in id order (they were serialised by a lock): their id is their position.
UPDATE "events" SET "position" = "id";--> statement-breakpoint
SELECT setval('event_position_seq', coalesce((SELECT max("position") FROM "events"), 0) + 1, false);--> statement-breakpoint
CREATE UNIQUE INDEX "events_position_idx" ON "events" USING btree ("position");--> statement-breakpoint
CREATE INDEX "events_unnumbered_idx" ON "events" USING btree ("id") WHERE "events"."position" is null;
