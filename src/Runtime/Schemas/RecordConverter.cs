using System;
using System.Collections.Generic;
using System.Linq;
using Overlay.Formats;
using Overlay.Layouts;

namespace Overlay.Schemas;

/// <summary>
/// The heap a <see cref="RecordConverter"/> rewrites lists in (<see cref="MappedContainer.Upgrade"/>):
/// the stored lists are read from the old heap, the converted ones appended to the new one.
/// </summary>
internal interface IListHeap
{
    /// <summary>The stored list's bytes, after the heap's bounds check.</summary>
    ReadOnlySpan<byte> Read(HeapRef reference);

    /// <summary>Appends a converted list; returns its reference in the new heap.</summary>
    HeapRef Append(ReadOnlySpan<byte> bytes);

    /// <summary>The old list is no longer referenced by the converted record: its block can be freed.</summary>
    void Release(HeapRef reference);
}

/// <summary>
/// Converts records from a stored layout to the current one, field by field (<c>docs/formats.md</c>,
/// Schemas §9): fields matched by name or <see cref="LayoutField.FormerNames"/>; the same bytes
/// copied; numbers and enums widened (by underlying value) only where no value can be lost;
/// strings re-encoded and lengthened; arrays element by element; nested layouts recursively;
/// removed fields dropped; added fields their <see cref="LayoutField.DefaultValue"/> or zero. Everything else needs a <see cref="FieldConverter"/>:
/// <see cref="Create"/> refuses, naming every such field, rather than truncate.
/// </summary>
public sealed class RecordConverter
{
    private readonly List<Step> _steps;

    private RecordConverter(LayoutInfo stored, LayoutInfo current, List<Step> steps)
    {
        Stored = stored;
        Current = current;
        _steps = steps;
    }

    /// <summary>The layout records are converted from.</summary>
    public LayoutInfo Stored { get; }

    /// <summary>The layout records are converted to.</summary>
    public LayoutInfo Current { get; }

    /// <summary>Plans the conversion of <paramref name="stored"/> records into <paramref name="current"/> ones.</summary>
    /// <param name="stored">The file's layout (its embedded schema).</param>
    /// <param name="current">The code's layout.</param>
    /// <param name="converters">User conversions by current field name; they take precedence over the automatic ones, and over those <paramref name="current"/> declares (<see cref="LayoutInfo.UpgradeConverters"/>), which are used for the other fields.</param>
    /// <returns>The converter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stored"/> or <paramref name="current"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Some fields can lose values or change kind and have no converter; the message lists each.</exception>
    public static RecordConverter Create(LayoutInfo stored, LayoutInfo current, IReadOnlyDictionary<string, FieldConverter>? converters = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(current);
        var problems = new List<string>();
        List<Step> steps = Plan(stored, current, DeclaredConverters.Merge(current.UpgradeConverters, converters), string.Empty, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Records of {stored.Name} cannot be upgraded to {current.Name} without losing values; declare an [UpgradeConverter] method in the layout (or pass a FieldConverter) for each field:\n  " + string.Join("\n  ", problems));
        }

        return new RecordConverter(stored, current, steps);
    }

    /// <summary>Converts one record.</summary>
    /// <param name="source">At least <see cref="Stored"/>'s size.</param>
    /// <param name="destination">At least <see cref="Current"/>'s size; cleared first.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="System.IO.InvalidDataException">A string's value does not fit its new field (its text, not its type, is too long).</exception>
    /// <exception cref="InvalidOperationException">A <c>[VarList]</c> whose elements change type is not empty: its elements are in a heap, and <see cref="MappedContainer.Upgrade"/> converts them.</exception>
    public void Convert(ReadOnlySpan<byte> source, Span<byte> destination) => Convert(source, destination, null);

    /// <summary>
    /// Whether a <c>[VarList]</c>'s elements change type: then each list is rewritten in the heap,
    /// which <see cref="MappedContainer.Upgrade"/> does (the public <see cref="Convert(ReadOnlySpan{byte}, Span{byte})"/>
    /// has no heap, and refuses a record whose list is not empty).
    /// </summary>
    internal bool RewritesLists => Rewrites(_steps);

    /// <summary>Converts one record, its changed lists read from and appended to <paramref name="lists"/>.</summary>
    internal void Convert(ReadOnlySpan<byte> source, Span<byte> destination, IListHeap? lists)
    {
        if (source.Length < Stored.SizeInBytes || destination.Length < Current.SizeInBytes)
        {
            throw new ArgumentException($"Converting needs {Stored.SizeInBytes} source bytes and {Current.SizeInBytes} destination bytes; got {source.Length} and {destination.Length}.");
        }

        destination = destination[..Current.SizeInBytes];
        destination.Clear();
        Run(_steps, source, destination, new StoredRecord(Stored, source[..Stored.SizeInBytes]), lists);
    }

    /// <summary>
    /// Converts <paramref name="count"/> records laid out <paramref name="sourceStride"/> bytes apart
    /// into consecutive records of <see cref="Current"/>'s size, their changed lists read from and
    /// appended to <paramref name="lists"/>: step by step over the whole batch, so each step's
    /// dispatch and its choice of conversion are paid once a batch, not once a field of every
    /// record (what makes <c>Upgrade</c> run at memory speed).
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short, or the stride is shorter than a stored record.</exception>
    /// <exception cref="System.IO.InvalidDataException">A string's value does not fit its new field.</exception>
    internal void ConvertMany(ReadOnlySpan<byte> source, int sourceStride, Span<byte> destination, int count, IListHeap? lists = null)
    {
        int to = Current.SizeInBytes;
        if (count < 0 || sourceStride < Stored.SizeInBytes || (long)sourceStride * count > source.Length || (long)to * count > destination.Length)
        {
            throw new ArgumentException($"Converting {count} records needs {(long)sourceStride * count} source bytes (stride {sourceStride}, at least {Stored.SizeInBytes}) and {(long)to * count} destination bytes; got {source.Length} and {destination.Length}.");
        }

        destination = destination[..(to * count)];
        destination.Clear();
        foreach (Step step in _steps)
        {
            step.ApplyMany(source, sourceStride, destination, to, count, Stored, lists);
        }
    }

    private static bool Rewrites(List<Step> steps) => steps.Exists(s => s is ListStep || (s is NestedStep nested && Rewrites(nested.Inner)));

    private static void Run(List<Step> steps, ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists)
    {
        foreach (Step step in steps)
        {
            step.Apply(source, destination, root, lists);
        }
    }

    private static List<Step> Plan(LayoutInfo stored, LayoutInfo current, IReadOnlyDictionary<string, FieldConverter>? converters, string prefix, List<string> problems)
    {
        var byName = stored.Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var steps = new List<Step>();
        foreach (LayoutField now in current.Fields)
        {
            string path = prefix + now.Name;
            if (prefix.Length == 0 && converters is not null && converters.TryGetValue(now.Name, out FieldConverter? custom))
            {
                steps.Add(new CustomStep(now, custom));
                continue;
            }

            LayoutField? old = byName.GetValueOrDefault(now.Name);
            foreach (string former in now.FormerNames ?? Array.Empty<string>())
            {
                old ??= byName.GetValueOrDefault(former);
            }

            if (old is null)
            {
                // Added: its [DefaultValue], or zero (the destination is cleared).
                if (now.DefaultValue is not null)
                {
                    steps.Add(new DefaultStep(now));
                }

                continue;
            }

            Step? step = PlanField(old, now, path, problems);
            if (step is not null)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private static Step? PlanField(LayoutField old, LayoutField now, string path, List<string> problems)
    {
        if (SameBytes(old, now))
        {
            return new CopyStep(old.Offset, now.Offset, now.SizeInBytes);
        }

        bool oldString = old.Kind is LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString;
        bool newString = now.Kind is LayoutFieldKind.Utf8String or LayoutFieldKind.AsciiString;
        if (oldString && newString)
        {
            return new StringStep(old, now, path);
        }

        bool oldNumber = old.Kind is LayoutFieldKind.Primitive or LayoutFieldKind.Enum;
        bool newNumber = now.Kind is LayoutFieldKind.Primitive or LayoutFieldKind.Enum;
        if (oldNumber && newNumber)
        {
            int from = StoredRecord.Code(old);
            int to = StoredRecord.Code(now);
            if (SchemaNumbers.IsLossless(from, to))
            {
                return new NumberStep(old.Offset, from, old.IsBigEndian, now.Offset, to, now.IsBigEndian, 1);
            }

            problems.Add($"{path}: {SchemaComparison.Describe(old)} -> {SchemaComparison.Describe(now)} can lose values");
            return null;
        }

        if (old.Kind == LayoutFieldKind.ValueArray && now.Kind == LayoutFieldKind.ValueArray)
        {
            int from = SchemaPrimitives.Code(old.UnderlyingType ?? old.TypeName);
            int to = SchemaPrimitives.Code(now.UnderlyingType ?? now.TypeName);
            if (SchemaNumbers.IsLossless(from, to) && now.Length >= old.Length)
            {
                return new NumberStep(old.Offset, from, old.IsBigEndian, now.Offset, to, now.IsBigEndian, old.Length);
            }

            problems.Add($"{path}: {SchemaComparison.Describe(old)} -> {SchemaComparison.Describe(now)} can lose values");
            return null;
        }

        if (old.Kind == LayoutFieldKind.VarList && now.Kind == LayoutFieldKind.VarList)
        {
            // The elements live in the heap, which a record's bytes do not reach: a list whose
            // element type changed is converted by MappedContainer.Upgrade, given the heap.
            return ListStep.Plan(old, now, path, problems);
        }

        if (old.Kind == now.Kind && old.Layout is not null && now.Layout is not null)
        {
            if (now.Length < old.Length)
            {
                problems.Add($"{path}: {old.Length} elements -> {now.Length} drops elements");
                return null;
            }

            List<Step> inner = Plan(old.Layout, now.Layout, null, path + ".", problems);
            return new NestedStep(old.Offset, old.Layout.SizeInBytes, now.Offset, now.Layout.SizeInBytes, Math.Max(1, old.Length), inner);
        }

        problems.Add($"{path}: {SchemaComparison.Describe(old)} -> {SchemaComparison.Describe(now)} changes kind");
        return null;
    }

    private static bool SameBytes(LayoutField old, LayoutField now) =>
        old.Kind == now.Kind && old.SizeInBytes == now.SizeInBytes && old.IsBigEndian == now.IsBigEndian && old.Length == now.Length
        && (old.Layout is null || now.Layout is null ? StoredRecord.Code(old) == StoredRecord.Code(now) || old.Kind == LayoutFieldKind.Guid
            : SchemaComparison.Compare(old.Layout, now.Layout).IsIdentical)
        && (old.Kind is not (LayoutFieldKind.ValueArray or LayoutFieldKind.VarList) || (old.Layout is not null && now.Layout is not null)
            || SchemaPrimitives.Code(old.UnderlyingType ?? old.TypeName) == SchemaPrimitives.Code(now.UnderlyingType ?? now.TypeName));

    /// <summary>
    /// A <c>[VarList]</c> whose elements changed type: each list is read from the heap, converted
    /// element by element (numbers widened by value, layouts field by field) and appended to the
    /// heap as a new list; the record gets the new reference and the old list is released.
    /// </summary>
    private sealed class ListStep : Step
    {
        private readonly LayoutField _old;
        private readonly LayoutField _now;
        private readonly string _path;
        private readonly int _fromCode;
        private readonly int _toCode;
        private readonly List<Step>? _inner;

        private ListStep(LayoutField old, LayoutField now, string path, int fromCode, int toCode, List<Step>? inner)
        {
            _old = old;
            _now = now;
            _path = path;
            _fromCode = fromCode;
            _toCode = toCode;
            _inner = inner;
        }

        private int FromSize => _inner is null ? SchemaPrimitives.Width(_fromCode) : _old.Layout!.SizeInBytes;

        private int ToSize => _inner is null ? SchemaPrimitives.Width(_toCode) : _now.Layout!.SizeInBytes;

        public static Step? Plan(LayoutField old, LayoutField now, string path, List<string> problems)
        {
            if (old.Layout is null && now.Layout is null)
            {
                int from = SchemaPrimitives.Code(old.UnderlyingType ?? old.TypeName);
                int to = SchemaPrimitives.Code(now.UnderlyingType ?? now.TypeName);
                if (from != 0 && to != 0 && SchemaNumbers.IsLossless(from, to))
                {
                    return new ListStep(old, now, path, from, to, null);
                }
            }
            else if (old.Layout is not null && now.Layout is not null)
            {
                int before = problems.Count;
                List<Step> inner = RecordConverter.Plan(old.Layout, now.Layout, null, path + ".", problems);
                return problems.Count == before ? new ListStep(old, now, path, 0, 0, inner) : null;
            }

            problems.Add($"{path}: {SchemaComparison.Describe(old)} -> {SchemaComparison.Describe(now)} can lose values or changes the elements' kind");
            return null;
        }

        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists)
        {
            HeapRef reference = HeapRef.Read(source.Slice(_old.Offset, HeapRef.SizeInBytes));
            if (reference.IsNull)
            {
                return; // the null reference: an empty list either way (the destination is cleared)
            }

            if (lists is null)
            {
                throw new InvalidOperationException($"{_path}: the list's elements change type and live in a heap; MappedContainer.Upgrade converts them (RecordConverter.Convert has no heap).");
            }

            ReadOnlySpan<byte> elements = lists.Read(reference);
            int fromSize = FromSize;
            int toSize = ToSize;
            if (elements.Length % fromSize != 0)
            {
                throw new System.IO.InvalidDataException($"{_path}: the stored list is {elements.Length} bytes, not a whole number of {fromSize}-byte elements.");
            }

            int count = elements.Length / fromSize;
            if ((long)count * toSize > int.MaxValue - 16)
            {
                throw new System.IO.InvalidDataException($"{_path}: {count} converted elements would not fit in one heap value.");
            }

            byte[] converted = new byte[count * toSize];
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> element = elements.Slice(i * fromSize, fromSize);
                Span<byte> into = converted.AsSpan(i * toSize, toSize);
                if (_inner is null)
                {
                    SchemaNumbers.Convert(element, _fromCode, _old.IsBigEndian, into, _toCode, _now.IsBigEndian);
                }
                else
                {
                    Run(_inner, element, into, root, lists);
                }
            }

            lists.Append(converted).Write(destination.Slice(_now.Offset, HeapRef.SizeInBytes));
            lists.Release(reference);
        }
    }

    private abstract class Step
    {
        public abstract void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists);

        /// <summary>Applies the step to each record of a batch (the spans hold whole records; see <see cref="ConvertMany"/>).</summary>
        public virtual void ApplyMany(ReadOnlySpan<byte> source, int fromStride, Span<byte> destination, int toStride, int count, LayoutInfo stored, IListHeap? lists)
        {
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> record = source.Slice(i * fromStride, stored.SizeInBytes);
                Apply(record, destination.Slice(i * toStride, toStride), new StoredRecord(stored, record), lists);
            }
        }
    }

    private sealed class CopyStep(int from, int to, int size) : Step
    {
        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists) =>
            source.Slice(from, size).CopyTo(destination.Slice(to, size));

        public override void ApplyMany(ReadOnlySpan<byte> source, int fromStride, Span<byte> destination, int toStride, int count, LayoutInfo stored, IListHeap? lists)
        {
            // ConvertMany checked both spans hold count whole records; each slice below is inside one.
            for (int i = 0; i < count; i++)
            {
                source.Slice((i * fromStride) + from, size).CopyTo(destination.Slice((i * toStride) + to, size));
            }
        }
    }

    private sealed class NumberStep(int from, int fromCode, bool fromBig, int to, int toCode, bool toBig, int count) : Step
    {
        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists)
        {
            int fromWidth = SchemaPrimitives.Width(fromCode);
            int toWidth = SchemaPrimitives.Width(toCode);
            for (int i = 0; i < count; i++)
            {
                SchemaNumbers.Convert(source[(from + (i * fromWidth))..], fromCode, fromBig, destination[(to + (i * toWidth))..], toCode, toBig);
            }
        }

        public override void ApplyMany(ReadOnlySpan<byte> source, int fromStride, Span<byte> destination, int toStride, int records, LayoutInfo stored, IListHeap? lists)
        {
            // The widenings layouts usually make, little-endian to little-endian, in tight loops;
            // anything else goes value by value through SchemaNumbers.
            if (count == 1 && !fromBig && !toBig && NumberWidening.TryApply(source[from..], fromStride, fromCode, destination[to..], toStride, toCode, records))
            {
                return;
            }

            base.ApplyMany(source, fromStride, destination, toStride, records, stored, lists);
        }
    }

    private sealed class StringStep(LayoutField old, LayoutField now, string path) : Step
    {
        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists)
        {
            ReadOnlySpan<byte> text = source.Slice(old.Offset, old.SizeInBytes);
            int end = text.IndexOf((byte)0);
            text = end < 0 ? text : text[..end];

            // ASCII is UTF-8; UTF-8 is ASCII only when every byte is. Checked per value: a value
            // that does not fit is refused, never cut.
            if (text.Length > now.SizeInBytes || (now.Kind == LayoutFieldKind.AsciiString && text.ContainsAnyInRange((byte)0x80, (byte)0xFF)))
            {
                throw new System.IO.InvalidDataException($"{path}: the stored value ({text.Length} bytes) does not fit {SchemaComparison.Describe(now)}; register a FieldConverter for it.");
            }

            text.CopyTo(destination.Slice(now.Offset, now.SizeInBytes));
        }
    }

    private sealed class NestedStep(int from, int fromSize, int to, int toSize, int count, List<Step> inner) : Step
    {
        public List<Step> Inner => inner;

        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists)
        {
            for (int i = 0; i < count; i++)
            {
                Run(inner, source.Slice(from + (i * fromSize), fromSize), destination.Slice(to + (i * toSize), toSize), root, lists);
            }
        }
    }

    private sealed class DefaultStep(LayoutField now) : Step
    {
        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists) =>
            LayoutDefaults.Write(now, destination.Slice(now.Offset, now.SizeInBytes));
    }

    private sealed class CustomStep(LayoutField now, FieldConverter converter) : Step
    {
        public override void Apply(ReadOnlySpan<byte> source, Span<byte> destination, StoredRecord root, IListHeap? lists) =>
            converter(root, destination.Slice(now.Offset, now.SizeInBytes));
    }
}
