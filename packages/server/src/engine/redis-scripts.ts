/**
 * The Lua scripts of the Redis engine. Each runs atomically inside Redis, which is what keeps
 * seq contiguous when several gateways append to one source, makes a read's gap exact (the
 * state and the frames come from one instant), and makes the epoch rule race-free.
 *
 * Keys of source S (prefix P, one hash tag so a Cluster keeps them on one node):
 * - `P:{S}:meta`  hash: e epoch, s seq, r Redis run_id, n frames retained, b bytes retained,
 *                 t last append time, cv catalogue version
 * - `P:{S}:f`     stream of frames, entry ID `<seq>-0`, fields k (d|e), b body, a appended
 *                 at, z bytes, e epoch
 * - `P:{S}:ti`    list "appendedAt:seq:bytes" per retained frame, oldest first: the time and
 *                 size index that retention by time and bytes needs (a stream can only be
 *                 trimmed by count or ID)
 * - `P:{S}:cat`   hash id -> MetricInfo JSON
 * - `P:{S}:last`  hash id -> latest (t, v), two little-endian doubles
 * - `P:{S}:r<res>:<start>`  hash id -> rollup bucket, eight little-endian doubles, expiring
 *                 after the tier's retention
 *
 * Epoch rule (`ensure_epoch`): a new epoch, and the old frames dropped, when the meta hash is
 * missing (never created, evicted, or lost with a restart without persistence), or when the
 * run_id of the Redis that runs the script differs from the one that wrote the meta (a
 * restart that reloaded an older snapshot, or a replica promoted after a failover: in both
 * the newest frames may be gone and their seqs would be reused). The gateway passes the run_id
 * it saw on connecting; only when that differs from the meta's does the script ask INFO, so
 * the common append costs no INFO.
 */

const PRELUDE = `
local function run_id()
  return string.match(redis.call('INFO', 'server'), 'run_id:(%x+)')
end

-- Returns the epoch, 1 if it is new, the run_id asked from INFO ('' if not asked), and the
-- stream state {seq, frames retained, bytes retained, last append time}.
local function ensure_epoch(meta, f, ti, known_run, candidate, force)
  local m = redis.call('HMGET', meta, 'e', 'r', 's', 'n', 'b', 't')
  local actual = ''
  local state = {tonumber(m[3] or '0'), tonumber(m[4] or '0'), tonumber(m[5] or '0'), tonumber(m[6] or '0')}
  if m[1] and not force then
    if m[2] == known_run then return m[1], 0, '', state end
    actual = run_id()
    if m[2] == actual then return m[1], 0, actual, state end
  else
    actual = run_id()
  end
  redis.call('DEL', f, ti)
  redis.call('HSET', meta, 'e', candidate, 's', 0, 'r', actual, 'n', 0, 'b', 0, 't', 0)
  return candidate, 1, actual, {0, 0, 0, 0}
end

-- Evicts by time, count and bytes; seq, n, b: the stream's state. Returns n, b, oldest seq.
local function trim(meta, f, ti, now, retention, max_frames, max_bytes, seq_now, n, b)
  local cutoff = now - retention
  local last = nil
  while n > 0 do
    local a, seq, z = string.match(redis.call('LINDEX', ti, 0), '^([^:]+):([^:]+):([^:]+)$')
    local too_old = tonumber(a) <= cutoff
    local over = n > 1 and (n > max_frames or b > max_bytes)
    if not too_old and not over then break end
    redis.call('LPOP', ti)
    n = n - 1
    b = b - tonumber(z)
    last = tonumber(seq)
  end
  if last then
    redis.call('XTRIM', f, 'MINID', string.format('%d-0', last + 1))
    redis.call('HSET', meta, 'n', n, 'b', b)
  end
  local oldest
  if n > 0 then
    oldest = tonumber(string.match(redis.call('LINDEX', ti, 0), '^[^:]+:([^:]+):'))
  else
    oldest = seq_now + 1
  end
  return n, b, oldest
end

-- HMGET / HSET over many fields, in chunks (Lua's unpack has a stack limit).
local function hmget_many(key, fields)
  local out = {}
  for i = 1, #fields, 1000 do
    local chunk = {}
    for j = i, math.min(i + 999, #fields) do chunk[#chunk + 1] = fields[j] end
    local got = redis.call('HMGET', key, unpack(chunk))
    for j = 1, #got do out[#out + 1] = got[j] end
  end
  return out
end

local function hset_many(key, pairs_list)
  for i = 1, #pairs_list, 1000 do
    local chunk = {}
    for j = i, math.min(i + 999, #pairs_list) do chunk[#chunk + 1] = pairs_list[j] end
    if #chunk > 0 then redis.call('HSET', key, unpack(chunk)) end
  end
end
`;

/**
 * KEYS: meta, f, ti, last, rollup bucket keys...
 * ARGV: known_run, candidate epoch, now, retention ms, max frames, max bytes,
 *       data body ('' for none), data bytes, events body ('' for none), events bytes,
 *       L, L x (id, packed latest),
 *       per rollup key: expire-at ms, M, M x (id, packed bucket)
 * Returns: {epoch, new_epoch 0|1, actual run_id or '', seq, now used, oldest, n, b}
 */
export const APPEND_SCRIPT = `${PRELUDE}
local meta, f, ti, lastk = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local epoch, fresh, actual, state = ensure_epoch(meta, f, ti, ARGV[1], ARGV[2], false)
local now = tonumber(ARGV[3])
if now < state[4] then now = state[4] end
local seq, n, b = state[1], state[2], state[3]
local stamp = string.format('%d', now)
local function add_frame(kind, body, bytes)
  if body == '' then return end
  seq = seq + 1
  redis.call('XADD', f, string.format('%d-0', seq), 'k', kind, 'b', body, 'a', stamp, 'z', bytes, 'e', epoch)
  redis.call('RPUSH', ti, stamp .. ':' .. string.format('%d', seq) .. ':' .. bytes)
  n = n + 1
  b = b + tonumber(bytes)
end
add_frame('d', ARGV[7], ARGV[8])
add_frame('e', ARGV[9], ARGV[10])
if ARGV[7] ~= '' or ARGV[9] ~= '' then redis.call('HSET', meta, 's', seq, 't', stamp, 'n', n, 'b', b) end
local rn, rb, oldest = trim(meta, f, ti, now, tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), seq, n, b)

-- Merges ARGV pairs (id, value) from index i into hash key; merge(current, new) gives what to
-- write (nil: keep the current value). Returns the index after the pairs.
local function merge_pairs(key, i, count, merge)
  local ids = {}
  for j = 1, count do ids[j] = ARGV[i + 2 * (j - 1)] end
  local current = hmget_many(key, ids)
  local writes = {}
  for j = 1, count do
    local value = merge(current[j], ARGV[i + 2 * (j - 1) + 1])
    if value then
      writes[#writes + 1] = ids[j]
      writes[#writes + 1] = value
    end
  end
  hset_many(key, writes)
  return i + 2 * count
end

-- The latest sample: the new one unless it is older (same time: the later append wins).
local function latest(current, new)
  if current and struct.unpack('<d', new) < struct.unpack('<d', current) then return nil end
  return new
end

-- Rollup buckets merge as in rollups.ts (mergeBucket): the new one is the later append.
local function merge_bucket(current, new)
  if not current then return new end
  local c1, s1, mn1, tmn1, mx1, tmx1, l1, tl1 = struct.unpack('<dddddddd', current)
  local c2, s2, mn2, tmn2, mx2, tmx2, l2, tl2 = struct.unpack('<dddddddd', new)
  if mn2 < mn1 or (mn2 == mn1 and tmn2 < tmn1) then mn1 = mn2; tmn1 = tmn2 end
  if mx2 > mx1 or (mx2 == mx1 and tmx2 < tmx1) then mx1 = mx2; tmx1 = tmx2 end
  if tl2 >= tl1 then l1 = l2; tl1 = tl2 end
  return struct.pack('<dddddddd', c1 + c2, s1 + s2, mn1, tmn1, mx1, tmx1, l1, tl1)
end

local i = merge_pairs(lastk, 12, tonumber(ARGV[11]), latest)
for k = 5, #KEYS do
  local expire_at = ARGV[i]
  i = merge_pairs(KEYS[k], i + 2, tonumber(ARGV[i + 1]), merge_bucket)
  redis.call('PEXPIREAT', KEYS[k], expire_at)
end

return {epoch, fresh, actual, seq, stamp, oldest, rn, rb}
`;

/**
 * KEYS: meta, f, ti
 * ARGV: known_run, candidate epoch, now, retention ms, max frames, max bytes,
 *       since ('' for none), the reader's epoch ('' for none), max frames, max bytes, force ('1' = reset)
 * Returns: {epoch, new_epoch, actual run_id or '', seq, oldest, n, b, more 0|1, entries...}
 * where each entry is {id, fields}.
 */
export const READ_SCRIPT = `${PRELUDE}
local meta, f, ti = KEYS[1], KEYS[2], KEYS[3]
local epoch, fresh, actual, state = ensure_epoch(meta, f, ti, ARGV[1], ARGV[2], ARGV[11] == '1')
local now = tonumber(ARGV[3])
local seq = state[1]
local n, b, oldest = trim(meta, f, ti, now, tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), seq, state[2], state[3])
local out = {epoch, fresh, actual, seq, oldest, n, b, 0}
if ARGV[7] == '' then return out end
local start
if ARGV[8] ~= '' and ARGV[8] ~= epoch then start = 1 else start = tonumber(ARGV[7]) + 1 end
if start < oldest then start = oldest end
if start > seq then return out end
local max = tonumber(ARGV[9])
local max_bytes = tonumber(ARGV[10])
local entries = redis.call('XRANGE', f, string.format('%d-0', start), '+', 'COUNT', max + 1)
local bytes = 0
for j = 1, #entries do
  local fields = entries[j][2]
  local z = 0
  for k = 1, #fields, 2 do if fields[k] == 'z' then z = tonumber(fields[k + 1]) end end
  if j > max or (j > 1 and bytes + z > max_bytes) then
    out[8] = 1
    break
  end
  bytes = bytes + z
  out[#out + 1] = entries[j]
end
return out
`;

/**
 * KEYS: cat, meta
 * ARGV: max series, count, count x (id, create JSON, set JSON or '')
 * Returns: {catalogue version, count x (status, JSON)} with status a (added), c (changed),
 * k (kept as it was), r (refused by the cap).
 */
export const CATALOGUE_SCRIPT = `
local cat, meta = KEYS[1], KEYS[2]
local max = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local size = redis.call('HLEN', cat)
local out = {0}
local touched = false
for j = 0, count - 1 do
  local id, create, set = ARGV[3 + 3 * j], ARGV[4 + 3 * j], ARGV[5 + 3 * j]
  local current = redis.call('HGET', cat, id)
  if not current then
    if size < max then
      redis.call('HSET', cat, id, create)
      size = size + 1
      touched = true
      out[#out + 1] = 'a'
      out[#out + 1] = create
    else
      out[#out + 1] = 'r'
      out[#out + 1] = ''
    end
  elseif set ~= '' then
    local info = cjson.decode(current)
    local changed = false
    for key, value in pairs(cjson.decode(set)) do
      if info[key] ~= value then
        info[key] = value
        changed = true
      end
    end
    if changed then
      local encoded = cjson.encode(info)
      redis.call('HSET', cat, id, encoded)
      touched = true
      out[#out + 1] = 'c'
      out[#out + 1] = encoded
    else
      out[#out + 1] = 'k'
      out[#out + 1] = current
    end
  else
    out[#out + 1] = 'k'
    out[#out + 1] = current
  end
end
if touched then out[1] = redis.call('HINCRBY', meta, 'cv', 1) else out[1] = tonumber(redis.call('HGET', meta, 'cv') or '0') end
return out
`;
