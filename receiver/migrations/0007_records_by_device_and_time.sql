-- How many records a device key added in the last day is asked on every post (the daily cap): an index by key
-- and time answers it from that day's entries, not from every record the key ever signed.
CREATE INDEX records_by_device_and_time ON records (device_thumbprint, received_at);
