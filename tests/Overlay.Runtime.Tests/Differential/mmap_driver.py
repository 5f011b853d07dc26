#!/usr/bin/env python3
"""Differential driver: runs batches of mmap operation sequences on CPython's own mmap.

Usage: python3 mmap_driver.py INPUT.json

INPUT.json holds {"sequences": [...]}, written by DifferentialTests (C#). Each sequence names
a map (a file map over a file the C# side prepared for Python, or anonymous memory) and a list
of operations whose arguments may be symbolic ("the length minus 1", "a needle taken from the
current contents", "a value as long as this slice"). The driver resolves every argument
against Python's own state, runs the operation and prints, one JSON line per sequence:

    {"id": n, "steps": [{"a": [concrete args], "r": result | "e": category, "x": class,
                         "n": errno, "m": message, "s": [pos, len] | null}, ...],
     "final": "b:<hex>" | null}

The C# side replays the concrete arguments on Overlay.MemoryMap and compares results, error
categories, cursor and length after every step, and the file bytes on disk at the end.

Error categories are the names of the .NET exception types of the convention table
(docs/errors.md); category() is that table. Overlay's DELIBERATE differences from CPython
3.13.0 are all in one place: deliberate() below.
"""

import errno
import json
import mmap
import os
import sys

PAGE = mmap.PAGESIZE

# The values of Overlay's MapAdvice (src/Runtime/MapAdvice.cs): the only advice passed to madvise (D21).
NAMED_ADVICE = frozenset([0, 1, 2, 3, 4, *range(8, 26), 100, 101])
PY313 = sys.version_info >= (3, 13)
FILL_LIMIT = 4 * PAGE + 64


class Deliberate(Exception):
    """An outcome that Overlay defines differently from CPython 3.13.0, on purpose."""

    def __init__(self, category, why):
        super().__init__(why)
        self.category = category


def category(exc):
    """Python exception -> .NET exception type name: the table of docs/errors.md."""
    msg = str(exc)
    if isinstance(exc, Deliberate):
        return exc.category
    if isinstance(exc, PermissionError):
        return "UnauthorizedAccessException"
    if isinstance(exc, OSError):
        return "MapIOException:%d" % (exc.errno or 0)
    if isinstance(exc, ValueError):
        if "closed or invalid" in msg:
            return "ObjectDisposedException"
        if "trackfd" in msg or "can't expand a shared anonymous" in msg:
            return "NotSupportedException"
        if msg in ("read byte out of range", "write byte out of range"):
            return "EndOfStreamException"
        if msg in ("data out of range", "slice step cannot be zero"):
            return "ArgumentException"
        if msg in ("seek out of range", "unknown seek type", "flush values out of range",
                   "madvise start out of bounds", "madvise length invalid",
                   "source, destination, or count out of range", "new size out of range"):
            return "ArgumentOutOfRangeException"
    if isinstance(exc, TypeError):
        if "readonly" in msg or "can't resize a readonly or copy-on-write" in msg:
            return "NotSupportedException"
    if isinstance(exc, IndexError):
        if "index out of range" in msg:
            return "ArgumentOutOfRangeException"
        if "slice assignment is wrong size" in msg:
            return "ArgumentException"
    if isinstance(exc, OverflowError) and "madvise length too large" in msg:
        return "ArgumentOutOfRangeException"
    if isinstance(exc, BufferError):
        return "InvalidOperationException"
    return "UNMAPPED:%s:%s" % (type(exc).__name__, msg)


def canon(value):
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return "b:" + bytes(value).hex()
    raise TypeError("unexpected result %r" % (value,))


class Ctx:
    def __init__(self, seq):
        self.seq = seq
        self.anonymous = seq["kind"] == "anon"
        self.access = seq["access"]          # the access the map was opened with (0..3)
        self.private = seq.get("private", False)
        self.trackfd = seq.get("trackfd", True)
        self.file = None
        if self.anonymous:
            if self.private:
                self.m = mmap.mmap(-1, seq["length"], flags=mmap.MAP_PRIVATE)
            elif self.access != mmap.ACCESS_DEFAULT:
                self.m = mmap.mmap(-1, seq["length"], access=self.access)
            else:
                self.m = mmap.mmap(-1, seq["length"])
        else:
            readonly = self.access in (mmap.ACCESS_READ, mmap.ACCESS_COPY)
            self.file = open(seq["pyPath"], "rb" if readonly else "r+b")
            kwargs = {"offset": seq.get("offset", 0)}
            if not self.trackfd:
                kwargs["trackfd"] = False
            if self.private:
                kwargs["flags"] = mmap.MAP_PRIVATE
            else:
                kwargs["access"] = self.access
            self.m = mmap.mmap(self.file.fileno(), seq.get("length", 0), **kwargs)
        self.last_len = len(self.m)
        self.last_pos = 0
        self.hit = None

    def remap_afresh(self, length):
        """What Overlay's resize does where mremap cannot move the mapping: a new mapping of the new
        length (of the file, already extended by CPython; or of zeros with the old bytes copied in),
        the cursor kept, even past the new end (a shrink leaves it there; seek refuses to put it
        there, so the new map is made long enough to hold it, then resized down, which keeps it)."""
        old, pos = self.m, self.m.tell()
        span = max(length, pos)
        offset = self.seq.get("offset", 0)
        if not self.anonymous and span > length:
            os.ftruncate(self.file.fileno(), offset + span)  # mmap refuses a length past the file
        if self.anonymous:
            new = mmap.mmap(-1, span, flags=mmap.MAP_PRIVATE)
            new[:len(old)] = old[:]
        elif self.private:
            new = mmap.mmap(self.file.fileno(), span, flags=mmap.MAP_PRIVATE, offset=offset)
            new[:len(old)] = old[:]
        else:
            new = mmap.mmap(self.file.fileno(), span, access=self.access, offset=offset)
        new.seek(pos)
        if span > length:
            new.resize(length)  # also truncates the file back to offset + length
        old.close()
        self.m = new
        return None

    def define_grown_tail(self, old, new):
        """(D22) docs/platforms.md: after CPython's mremap grows a private map, the old last page
        keeps, past the old length, whatever it held (bytes written before a shrink inside that
        page, or a copy-on-write snapshot older than the file), or reads zeros where the mapping was
        split and CPython's resize failed over: CPython leaves those bytes unspecified. Overlay
        defines them as what mapping afresh gives (zeros, or the file's bytes), on every back end;
        only those bytes are set to that here, so nothing else is compared less strictly."""
        end = min(new, (old + PAGE - 1) // PAGE * PAGE)
        if end <= old:
            return
        if self.anonymous:
            defined = bytes(end - old)
        else:
            defined = os.pread(self.file.fileno(), end - old, self.seq.get("offset", 0) + old)
            defined += bytes(end - old - len(defined))
        if self.m[old:end] != defined:
            self.m[old:end] = defined
            self.hit = "D22 bytes a private grow adds are defined"

    @property
    def shared_anonymous(self):
        return self.anonymous and not self.private and self.access != mmap.ACCESS_COPY

    def snapshot_state(self):
        if self.m.closed:
            return None
        self.last_len = len(self.m)
        self.last_pos = self.m.tell()
        return [self.last_pos, self.last_len]


# ---- symbolic arguments -------------------------------------------------------------------

def resolve_int(spec, ctx):
    if spec is None or isinstance(spec, int):
        return spec
    (key, delta), = spec.items()
    if key == "L":
        return ctx.last_len + delta
    if key == "N":
        return -ctx.last_len + delta
    if key == "P":
        return ctx.last_pos + delta
    if key == "R":
        return ctx.last_len - ctx.last_pos + delta
    raise ValueError("bad int spec %r" % (spec,))


def fill(seed, n):
    n = max(0, min(n, FILL_LIMIT))
    return bytes(((seed * 31 + i * 7) & 0xFF) if (i + seed) % 5 else 0x0A for i in range(n))


def resolve_bytes(spec, ctx, slice_args=None):
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    if "take" in spec:
        start = resolve_int(spec["take"], ctx)
        if ctx.m.closed:
            return b"a"
        return ctx.m[start:start + spec["k"]]
    if "n" in spec:
        return fill(spec["seed"], resolve_int(spec["n"], ctx))
    if "slice" in spec:
        start, stop, step = slice_args
        try:
            count = len(range(*slice(start, stop, step).indices(ctx.last_len)))
        except ValueError:  # step 0
            count = 0
        return fill(spec["seed"], count + spec["slice"])
    raise ValueError("bad bytes spec %r" % (spec,))


def resolve_args(name, raw, ctx):
    if name in ("write", "find", "rfind"):
        return [resolve_bytes(raw[0], ctx)] + [resolve_int(a, ctx) for a in raw[1:]]
    if name == "setslice":
        bounds = [resolve_int(a, ctx) for a in raw[:3]]
        return bounds + [resolve_bytes(raw[3], ctx, bounds)]
    return [resolve_int(a, ctx) for a in raw]


def clamp(index, length):
    """A find/rfind bound as CPython adjusts it: negative counts from the end, then clamped."""
    if index < 0:
        return max(0, index + length)
    return min(index, length)


def encode_arg(a):
    if isinstance(a, (bytes, bytearray)):
        return {"b": bytes(a).hex()}
    return a


# ---- the operations, as CPython spells them -------------------------------------------------

def op_seek(m, pos, whence=None):
    result = m.seek(pos) if whence is None else m.seek(pos, whence)
    # Newer-CPython fix followed (3.13+: seek returns the new position); for a fallback 3.11/3.12.
    return m.tell() if result is None else result


OPS = {
    "len": lambda c: len(c.m),
    "size": lambda c: c.m.size(),
    "tell": lambda c: c.m.tell(),
    "seek": lambda c, *a: op_seek(c.m, *a),
    "seekable": lambda c: c.m.seekable() if PY313 else True,
    "closed": lambda c: c.m.closed,
    "read": lambda c, *a: c.m.read(*a),
    "read_byte": lambda c: c.m.read_byte(),
    "readline": lambda c: c.m.readline(),
    "write": lambda c, data: c.m.write(data),
    "write_byte": lambda c, v: c.m.write_byte(v),
    "find": lambda c, *a: c.m.find(*a),
    "rfind": lambda c, *a: c.m.rfind(*a),
    "getitem": lambda c, i: c.m[i],
    "setitem": lambda c, i, v: c.m.__setitem__(i, v),
    "getslice": lambda c, start, stop, step: c.m[start:stop:step],
    "setslice": lambda c, start, stop, step, value: c.m.__setitem__(slice(start, stop, step), value),
    "move": lambda c, d, s, n: c.m.move(d, s, n),
    "flush": lambda c, *a: c.m.flush(*a),
    "resize": lambda c, n: c.m.resize(n),
    "madvise": lambda c, *a: c.m.madvise(*a),
    "close": lambda c: c.m.close(),
}


# ---- DELIBERATE DIFFERENCES ----------------------------------------------------------------
#
# Every place where Overlay is defined to differ from CPython 3.13.0, and only those. Each is a
# row of docs/errors.md ("Newer-CPython fixes followed" and "Deliberate differences"). Given an
# operation, deliberate() either returns NotImplemented (run CPython as it is) or returns the
# outcome Overlay must produce / raises Deliberate(category). ctx.hit records which rule changed
# the outcome, so the test can report how often each rule was exercised.

def deliberate(ctx, name, args):
    m = ctx.m

    # (D12) docs/errors.md, flush: `flush(offset)` and `flush(offset, -1)` flush to the end of the
    # map (gh-138092, CPython 3.15). 3.13 raises "flush values out of range" for both.
    # (D13) docs/errors.md, flush: an unaligned offset is ArgumentException for EVERY map, checked
    # after the range. CPython skips msync for ACCESS_READ/ACCESS_COPY maps (so `R.flush(1, 10)`
    # returns None) and otherwise gets EINVAL from msync.
    if name == "flush" and args:
        offset = args[0]
        size = args[1] if len(args) > 1 else -1
        if size == -1 and 0 <= offset <= len(m):
            size = len(m) - offset
            ctx.hit = "D12 flush(offset[, -1]) to the end"
        try:
            m.flush(offset, size)
        except OSError as e:
            if e.errno == 22 and offset % PAGE:
                ctx.hit = "§1 unaligned flush offset: EINVAL -> ArgumentException"
                raise Deliberate("ArgumentException", "unaligned flush offset")
            raise
        if offset % PAGE:
            ctx.hit = "D13 unaligned flush offset: READ/COPY None -> ArgumentException"
            raise Deliberate("ArgumentException", "unaligned flush offset (msync skipped by CPython)")
        return None

    # (§1 and D11) docs/errors.md, madvise: an unaligned start is ArgumentException (CPython: EINVAL from
    # madvise(2)); a None length means "to the end" (CPython 3.15; 3.13 raises TypeError).
    # (D21) docs/errors.md, madvise: advice that MapAdvice does not name is ArgumentOutOfRangeException
    # after the range and alignment checks, so those are made with a harmless advice in its place.
    if name == "madvise":
        if len(args) == 3 and args[2] is None:
            args = args[:2]
            ctx.hit = "D11 madvise length None"
        named = args[0] in NAMED_ADVICE
        try:
            result = m.madvise(*args) if named else m.madvise(mmap.MADV_NORMAL, *args[1:])
        except OSError as e:
            if e.errno == 22 and len(args) > 1 and args[1] % PAGE:
                ctx.hit = "§1 unaligned madvise start -> ArgumentException"
                raise Deliberate("ArgumentException", "unaligned madvise start")
            raise
        if not named:
            ctx.hit = "D21 unnamed madvise advice -> ArgumentOutOfRangeException"
            raise Deliberate("ArgumentOutOfRangeException", "advice MapAdvice does not name")
        return result

    # (D11) docs/errors.md, find/rfind: None start/end mean the default (the cursor / the end),
    # independently (CPython 3.15; 3.13 raises TypeError).
    # (D10) docs/errors.md, find/rfind: a start past the end finds nothing, even an empty needle
    # (gh-151021; 3.13 returns len for `find(b'', start > len)`).
    if name in ("find", "rfind"):
        sub = args[0]
        if None in args[1:]:
            ctx.hit = "D11 find/rfind None bound"
        start = args[1] if len(args) > 1 and args[1] is not None else m.tell()
        end = args[2] if len(args) > 2 and args[2] is not None else len(m)
        normalized = start + len(m) if start < 0 else start
        if normalized > len(m):
            if not sub:
                ctx.hit = "D10 find/rfind empty needle, start past the end -> -1"
            return -1
        if not PY313 and not sub and clamp(end, len(m)) < clamp(start, len(m)):
            # Not a deliberate difference: the reference CPython 3.13 returns -1 here, while a
            # fallback 3.11/3.12 finds an empty needle at start even when end < start.
            return -1
        return m.find(sub, start, end) if name == "find" else m.rfind(sub, start, end)

    # (D8) docs/errors.md, size(): anonymous memory reports its length (gh-87595, 3.15; 3.13 EBADF).
    # (D7) docs/errors.md, trackfd: size() of a trackfd=False map is NotSupportedException
    # (3.15: ValueError "can't get size with trackfd=False"; 3.13: EBADF).
    if name == "size":
        length = len(m)  # raises "mmap closed or invalid" first, as CPython's CHECK_VALID
        if ctx.anonymous:
            ctx.hit = "D8 size() of anonymous memory"
            return length
        if not ctx.trackfd:
            ctx.hit = "D7 size() with trackfd=False"
            raise Deliberate("NotSupportedException", "size() with trackfd=False")
        return NotImplemented

    # (D15) docs/errors.md, resize(0): ArgumentOutOfRangeException, nothing changed (CPython
    # truncates the file, then mremap fails with EINVAL and the next access is SIGBUS; anonymous
    # maps get EINVAL). Earlier checks (closed, trackfd, access) still come first.
    # (D16) docs/errors.md, resize: growing SHARED anonymous memory is NotSupportedException
    # (gh-138204, 3.14 and later 3.13.x: ValueError; 3.13.0 grows it and the new pages SIGBUS).
    if name == "resize":
        length = len(m)
        resizable = ctx.trackfd and ctx.access in (mmap.ACCESS_DEFAULT, mmap.ACCESS_WRITE)
        if resizable and args[0] == 0:
            ctx.hit = "D15 resize(0)"
            raise Deliberate("ArgumentOutOfRangeException", "resize(0)")
        if resizable and ctx.shared_anonymous and args[0] > length:
            ctx.hit = "D16 growing shared anonymous memory"
            raise Deliberate("NotSupportedException", "growing shared anonymous memory")
        # (D17) docs/errors.md, resize: where mremap cannot grow the mapping (EFAULT once madvise
        # split it into several VMAs) Overlay maps afresh and succeeds; CPython raises, its file
        # already extended. Emulated by mapping the file again (copying anonymous memory). When
        # the system refuses otherwise, the file is left as it was (CPython leaves it at the new size).
        if resizable and args[0] > 0 and not (ctx.anonymous and not ctx.private):
            file_size = None if ctx.anonymous else os.fstat(ctx.file.fileno()).st_size
            try:
                result = m.resize(args[0])
                if ctx.private and args[0] > length:
                    ctx.define_grown_tail(length, args[0])
                return result
            except OSError as e:
                if e.errno == errno.EFAULT and args[0] > length:
                    ctx.hit = "D17 resize of a split mapping maps afresh"
                    return ctx.remap_afresh(args[0])
                if file_size is not None and os.fstat(ctx.file.fileno()).st_size != file_size:
                    os.ftruncate(ctx.file.fileno(), file_size)
                    ctx.hit = "D17 failed resize leaves the file as it was"
                raise
        return NotImplemented

    # (D9) docs/errors.md, use after close: Seekable throws ObjectDisposedException like every
    # member (CPython 3.13's seekable() returns True even when closed).
    if name == "seekable" and m.closed:
        ctx.hit = "D9 seekable() after close"
        raise Deliberate("ObjectDisposedException", "seekable() after close")

    return NotImplemented


# ---- the batch ------------------------------------------------------------------------------

def run_sequence(seq):
    ctx = Ctx(seq)
    steps = []
    try:
        for op in seq["ops"]:
            name = op["op"]
            step = {}
            ctx.hit = None
            try:
                args = resolve_args(name, op.get("args", []), ctx)
                step["a"] = [encode_arg(a) for a in args]
                value = deliberate(ctx, name, args)
                if value is NotImplemented:
                    value = OPS[name](ctx, *args)
                step["r"] = canon(value)
            except Exception as e:  # noqa: BLE001 - every outcome is data here
                step["e"] = category(e)
                step["x"] = type(e).__name__
                step["n"] = getattr(e, "errno", None)
                step["m"] = str(e)
            if ctx.hit:
                step["d"] = ctx.hit
            step["s"] = ctx.snapshot_state()
            steps.append(step)
        final = None if ctx.m.closed else "b:" + ctx.m[:].hex()
    finally:
        ctx.m.close()
        if ctx.file is not None:
            ctx.file.close()
    return {"id": seq["id"], "steps": steps, "final": final}


def main():
    with open(sys.argv[1], "rb") as f:
        batch = json.load(f)
    out = sys.stdout
    for seq in batch["sequences"]:
        out.write(json.dumps(run_sequence(seq), separators=(",", ":")))
        out.write("\n")
    out.flush()


if __name__ == "__main__":
    main()
