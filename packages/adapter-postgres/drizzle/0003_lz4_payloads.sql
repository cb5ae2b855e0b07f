-- The large values every webhook and every projected call writes (a Vapi report is ~5-50 KB,
-- its transcript a few KB) are compressed with lz4 rather than the default pglz: a fifth of the
-- CPU per value at about the same size (a 14 KB report: ~12 µs instead of ~61 µs). Only on a
-- server built with lz4; elsewhere (PGlite) the default stays. New values only: stored ones
-- are read as they were written.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE event_log ALTER COLUMN payload SET COMPRESSION lz4;
    ALTER TABLE calls ALTER COLUMN transcript SET COMPRESSION lz4;
  END IF;
END
$$;
