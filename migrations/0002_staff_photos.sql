ALTER TABLE "staff_users" ADD COLUMN "photo_id" uuid;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "photo_public" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_photo_id_photos_id_fk" FOREIGN KEY ("photo_id") REFERENCES "public"."photos"("id") ON DELETE set null ON UPDATE no action;