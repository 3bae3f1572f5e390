-- The addresses by which a CRM that deletes by address knows the person (HubSpot's GDPR delete takes the
-- contact's e-mail address), read from the payloads an erasure deletes, in the same transaction, as a JSON
-- array: the erasure removes them from everywhere else, and the CRM cannot be asked without one. Kept only
-- while the erasure waits: set to NULL once it ends, delivered or refused. NULL where there is none.
ALTER TABLE relay_erasures ADD COLUMN crm_contacts TEXT;
