#!lua flags=allow-oom
-- Deletes session keys of one slot and answers which of them existed: the purge announces the end of exactly those
-- (a key that expired or was deleted in between was announced by whoever ended it).
-- KEYS: the session keys. Returns the positions (1-based) in KEYS of the keys that existed.
local existed = {}
for i, key in ipairs(KEYS) do
  if redis.call('UNLINK', key) == 1 then
    existed[#existed + 1] = i
  end
end
return existed
