-- A key's passphrase is never stored: the name of the environment variable holding it is, so that a pool host
-- or a cleanup debt on a passphrase-protected key can be used by any engine that has that variable.
ALTER TABLE connections ADD COLUMN identity_passphrase_env VARCHAR(200);
ALTER TABLE cleanup_debts ADD COLUMN identity_passphrase_env VARCHAR(200);
