using System;
using Google.FlatBuffers;

namespace Overlay.Benchmarks.Strings;

// What flatc 25.2.10 emits for this schema, written out here because flatc is not on the machine:
//
//   table NamedRecord { id:long; name:string; }
//   table NamedRecords { items:[NamedRecord]; }
//   root_type NamedRecords;
//
// Only the members the benchmark uses, in flatc's shape (a Table, vtable offsets 4 and 6).

/// <summary>One record: <c>id</c> and <c>name</c>.</summary>
public struct FbNamedRecord : IFlatbufferObject
{
    private Table _p;

    /// <inheritdoc/>
    public ByteBuffer ByteBuffer => _p.bb;

    /// <inheritdoc/>
    public void __init(int _i, ByteBuffer _bb) => _p = new Table(_i, _bb);

    /// <summary>Points the accessor at a table.</summary>
    public FbNamedRecord __assign(int _i, ByteBuffer _bb)
    {
        __init(_i, _bb);
        return this;
    }

    /// <summary>The id.</summary>
    public long Id
    {
        get
        {
            int o = _p.__offset(4);
            return o != 0 ? _p.bb.GetLong(o + _p.bb_pos) : 0;
        }
    }

    /// <summary>The name's UTF-8 bytes in place (flatc's <c>GetNameBytes</c>).</summary>
    public ArraySegment<byte>? GetNameBytes() => _p.__vector_as_arraysegment(6);

    /// <summary>Writes a record (flatc's <c>CreateNamedRecord</c>).</summary>
    public static Offset<FbNamedRecord> Create(FlatBufferBuilder builder, long id, StringOffset name)
    {
        builder.StartTable(2);
        builder.AddLong(0, id, 0);
        builder.AddOffset(1, name.Value, 0);
        return new Offset<FbNamedRecord>(builder.EndTable());
    }
}

/// <summary>The root: a vector of records.</summary>
public struct FbNamedRecords : IFlatbufferObject
{
    private Table _p;

    /// <inheritdoc/>
    public ByteBuffer ByteBuffer => _p.bb;

    /// <summary>The root table of a finished buffer.</summary>
    public static FbNamedRecords GetRoot(ByteBuffer bb) => new FbNamedRecords().__assign(bb.GetInt(bb.Position) + bb.Position, bb);

    /// <inheritdoc/>
    public void __init(int _i, ByteBuffer _bb) => _p = new Table(_i, _bb);

    /// <summary>Points the accessor at a table.</summary>
    public FbNamedRecords __assign(int _i, ByteBuffer _bb)
    {
        __init(_i, _bb);
        return this;
    }

    /// <summary>The j-th record.</summary>
    public FbNamedRecord? Items(int j)
    {
        int o = _p.__offset(4);
        return o != 0 ? new FbNamedRecord().__assign(_p.__indirect(_p.__vector(o) + (j * 4)), _p.bb) : null;
    }

    /// <summary>How many records.</summary>
    public int ItemsLength
    {
        get
        {
            int o = _p.__offset(4);
            return o != 0 ? _p.__vector_len(o) : 0;
        }
    }

    /// <summary>Writes the vector of records (flatc's <c>CreateItemsVector</c>).</summary>
    public static VectorOffset CreateItemsVector(FlatBufferBuilder builder, Offset<FbNamedRecord>[] data)
    {
        builder.StartVector(4, data.Length, 4);
        for (int i = data.Length - 1; i >= 0; i--)
        {
            builder.AddOffset(data[i].Value);
        }

        return builder.EndVector();
    }

    /// <summary>Writes the root.</summary>
    public static Offset<FbNamedRecords> Create(FlatBufferBuilder builder, VectorOffset items)
    {
        builder.StartTable(1);
        builder.AddOffset(0, items.Value, 0);
        return new Offset<FbNamedRecords>(builder.EndTable());
    }
}
