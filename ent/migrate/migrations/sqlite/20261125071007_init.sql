-- Create "access_requests" table
CREATE TABLE `access_requests` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `site_number` text NOT NULL, `email` text NOT NULL, `name` text NULL, `justification` text NOT NULL, `details` json NULL, `status` text NOT NULL DEFAULT ('PENDING'), `expires_at` datetime NOT NULL, `decided_at` datetime NULL, `decided_by` text NULL, `reason` text NULL, `site_id` integer NULL, `requester_id` integer NOT NULL, CONSTRAINT `access_requests_sites_access_requests` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL, CONSTRAINT `access_requests_users_access_requests` FOREIGN KEY (`requester_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Create index "accessrequest_site_id_status" to table: "access_requests"
CREATE INDEX `accessrequest_site_id_status` ON `access_requests` (`site_id`, `status`);
-- Create index "accessrequest_requester_id_status" to table: "access_requests"
CREATE INDEX `accessrequest_requester_id_status` ON `access_requests` (`requester_id`, `status`);
-- Create "audit_events" table
CREATE TABLE `audit_events` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `actor_kind` text NOT NULL, `actor` text NOT NULL, `actor_user_id` integer NULL, `action` text NOT NULL, `target_type` text NOT NULL, `target_id` integer NOT NULL, `before` json NULL, `after` json NULL, `reason` text NULL, `request_id` text NULL, `client_address` text NULL, `site_id` integer NULL, CONSTRAINT `audit_events_sites_audit_events` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL);
-- Set sequence for "audit_events" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("audit_events", 4294967296);
-- Create index "auditevent_site_id_created_at" to table: "audit_events"
CREATE INDEX `auditevent_site_id_created_at` ON `audit_events` (`site_id`, `created_at`);
-- Create "contacts" table
CREATE TABLE `contacts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `version` integer NOT NULL DEFAULT (1), `email` text NOT NULL, `email_key` text NOT NULL, `first_name` text NOT NULL, `last_name` text NOT NULL, `phone` text NOT NULL DEFAULT (''), `city` text NOT NULL DEFAULT (''), `state_province` text NOT NULL DEFAULT (''), `postal_code` text NOT NULL DEFAULT (''), `street` text NULL, `country` text NULL, `job_title` text NULL, `language` text NULL, `business_justification` text NOT NULL, `access_role` text NOT NULL, `software_access` text NOT NULL DEFAULT ('NONE'), `reporting` text NOT NULL DEFAULT ('NONE'), `entitlements` text NOT NULL DEFAULT ('NONE'), `manage_access` text NOT NULL DEFAULT ('NONE'), `contact_updates` text NOT NULL DEFAULT ('NONE'), `account_documents` text NOT NULL DEFAULT ('NONE'), `contact_types` json NULL, `status` text NOT NULL DEFAULT ('INVITED'), `invited_by` text NULL, `invitation_expires_at` datetime NULL, `last_sign_in_at` datetime NULL, `site_id` integer NOT NULL, `user_id` integer NULL, CONSTRAINT `contacts_sites_contacts` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE NO ACTION, CONSTRAINT `contacts_users_contacts` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE SET NULL, CONSTRAINT `contact_primary_active` CHECK (access_role <> 'PRIMARY' OR status = 'ACTIVE'));
-- Set sequence for "contacts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("contacts", 8589934592);
-- Create index "contact_site_id_email_key" to table: "contacts"
CREATE UNIQUE INDEX `contact_site_id_email_key` ON `contacts` (`site_id`, `email_key`);
-- Create index "contact_one_primary_per_site" to table: "contacts"
CREATE UNIQUE INDEX `contact_one_primary_per_site` ON `contacts` (`site_id`) WHERE access_role = 'PRIMARY';
-- Create index "contact_site_id_access_role" to table: "contacts"
CREATE INDEX `contact_site_id_access_role` ON `contacts` (`site_id`, `access_role`);
-- Create index "contact_user_id" to table: "contacts"
CREATE INDEX `contact_user_id` ON `contacts` (`user_id`);
-- Create "login_states" table
CREATE TABLE `login_states` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `state` text NOT NULL, `nonce` text NOT NULL, `code_verifier` text NOT NULL, `return_to` text NOT NULL, `created_at` datetime NOT NULL, `expires_at` datetime NOT NULL);
-- Set sequence for "login_states" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("login_states", 30064771072);
-- Create index "login_states_state_key" to table: "login_states"
CREATE UNIQUE INDEX `login_states_state_key` ON `login_states` (`state`);
-- Create index "loginstate_expires_at" to table: "login_states"
CREATE INDEX `loginstate_expires_at` ON `login_states` (`expires_at`);
-- Create "notifications" table
CREATE TABLE `notifications` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `kind` text NOT NULL, `recipient` text NOT NULL, `subject` text NOT NULL, `body` text NOT NULL, `status` text NOT NULL DEFAULT ('PENDING'), `attempts` integer NOT NULL DEFAULT (0), `next_attempt_at` datetime NOT NULL, `last_error` text NULL, `sent_at` datetime NULL, `site_id` integer NULL, CONSTRAINT `notifications_sites_notifications` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE SET NULL);
-- Set sequence for "notifications" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("notifications", 38654705664);
-- Create index "notification_status_next_attempt_at" to table: "notifications"
CREATE INDEX `notification_status_next_attempt_at` ON `notifications` (`status`, `next_attempt_at`);
-- Create index "notification_recipient" to table: "notifications"
CREATE INDEX `notification_recipient` ON `notifications` (`recipient`);
-- Create "partners" table
CREATE TABLE `partners` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `name` text NOT NULL, `client_id` text NOT NULL);
-- Set sequence for "partners" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("partners", 12884901888);
-- Create index "partners_client_id_key" to table: "partners"
CREATE UNIQUE INDEX `partners_client_id_key` ON `partners` (`client_id`);
-- Create "partner_grants" table
CREATE TABLE `partner_grants` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `granted_by` text NOT NULL, `expires_at` datetime NOT NULL, `revoked_at` datetime NULL, `revoked_by` text NULL, `partner_id` integer NOT NULL, `site_id` integer NOT NULL, CONSTRAINT `partner_grants_partners_grants` FOREIGN KEY (`partner_id`) REFERENCES `partners` (`id`) ON DELETE NO ACTION, CONSTRAINT `partner_grants_sites_partner_grants` FOREIGN KEY (`site_id`) REFERENCES `sites` (`id`) ON DELETE NO ACTION);
-- Set sequence for "partner_grants" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("partner_grants", 17179869184);
-- Create index "partnergrant_partner_id_site_id" to table: "partner_grants"
CREATE INDEX `partnergrant_partner_id_site_id` ON `partner_grants` (`partner_id`, `site_id`);
-- Create "sessions" table
CREATE TABLE `sessions` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `token_hash` text NOT NULL, `operator` bool NOT NULL DEFAULT (false), `created_at` datetime NOT NULL, `last_seen_at` datetime NOT NULL, `expires_at` datetime NOT NULL, `user_id` integer NOT NULL, CONSTRAINT `sessions_users_sessions` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE NO ACTION);
-- Set sequence for "sessions" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sessions", 34359738368);
-- Create index "sessions_token_hash_key" to table: "sessions"
CREATE UNIQUE INDEX `sessions_token_hash_key` ON `sessions` (`token_hash`);
-- Create index "session_expires_at" to table: "sessions"
CREATE INDEX `session_expires_at` ON `sessions` (`expires_at`);
-- Create index "session_last_seen_at" to table: "sessions"
CREATE INDEX `session_last_seen_at` ON `sessions` (`last_seen_at`);
-- Create "sites" table
CREATE TABLE `sites` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `version` integer NOT NULL DEFAULT (1), `number` text NOT NULL, `name` text NOT NULL, `customer_number` text NOT NULL, `program` text NOT NULL DEFAULT ('STANDARD'), `street` text NULL, `city` text NULL, `state_province` text NULL, `postal_code` text NULL, `country` text NULL, `status` text NOT NULL DEFAULT ('ACTIVE'), `review_interval_days` integer NOT NULL DEFAULT (30), `last_reviewed_at` datetime NULL, `last_reviewed_by` text NULL, `review_due_at` datetime NOT NULL);
-- Set sequence for "sites" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("sites", 21474836480);
-- Create index "sites_number_key" to table: "sites"
CREATE UNIQUE INDEX `sites_number_key` ON `sites` (`number`);
-- Create "users" table
CREATE TABLE `users` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `created_at` datetime NOT NULL, `updated_at` datetime NOT NULL, `issuer` text NOT NULL, `subject` text NOT NULL, `email` text NULL, `email_verified` bool NOT NULL DEFAULT (false), `name` text NULL, `last_sign_in_at` datetime NULL);
-- Set sequence for "users" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("users", 25769803776);
-- Create index "user_issuer_subject" to table: "users"
CREATE UNIQUE INDEX `user_issuer_subject` ON `users` (`issuer`, `subject`);
