using System;

namespace Overlay.Layouts;

/// <summary>
/// An <c>int</c>, <c>uint</c>, <c>long</c> or <c>ulong</c> field that processes sharing the map
/// update atomically: views and refs get <c>Add</c>, <c>Increment</c>, <c>Exchange</c> and
/// <c>CompareExchange</c> members for it (writable ones only) and a <c>VolatileRead</c> member,
/// named after the field (<c>IncrementHits()</c> for a field <c>Hits</c>). The field must be
/// little-endian and naturally aligned in the record and in every record of an array (OVL120,
/// OVL121); the record's address is checked at run time. It does not change the bytes: neither the
/// fingerprint nor the schema includes it (docs/layouts.md, "Atomic fields").
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class AtomicAttribute : Attribute;
