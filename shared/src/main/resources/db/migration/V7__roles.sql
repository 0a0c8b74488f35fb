-- A database role per purpose. The schema's owner is the role that migrates (the RDS master user,
-- through the migrate function, once per deployment); the functions log in as roles that may only
-- read and write rows, never change the schema:
--   flashsale_app     every function that writes (admin, order-consumer, reconciliation):
--                     SELECT, INSERT, UPDATE on the tables, the sequences; no DELETE, no DDL
--   flashsale_reader  the public-facing result function: SELECT only
-- In RDS both log in with IAM tokens through RDS Proxy (rds_iam); they have no password. Roles
-- belong to the whole server, not to this database: created once, tolerated when already there
-- (another database of the same server, or a migration running at the same moment).
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['flashsale_app', 'flashsale_reader'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', role_name);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END
$$;

-- RDS only: the role that lets RDS Proxy log in with an IAM token
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN
        GRANT rds_iam TO flashsale_app, flashsale_reader;
    END IF;
END
$$;

-- no one but the owner creates objects in the schema (PostgreSQL 15 and later already do this)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO flashsale_app, flashsale_reader;

GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO flashsale_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO flashsale_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO flashsale_reader;

-- the tables later migrations create (as the same owner) get the same rights
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO flashsale_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO flashsale_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO flashsale_reader;

-- Flyway's history is the migration's alone
REVOKE ALL ON TABLE "${flyway:table}" FROM flashsale_app, flashsale_reader;
