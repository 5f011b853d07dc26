using Overlay.Layouts;

namespace Overlay.Tests.Indexes;

/// <summary>An 8-byte value: the model tests' counter.</summary>
[MappedLayout]
public partial struct Counter
{
    public long Value;
}

/// <summary>A 32-byte value: a product's price, stock and name.</summary>
[MappedLayout]
public partial struct Product
{
    public long Id;
    public double Price;
    public int Stock;
    [FixedString(12)]
    public string Name;
}

/// <summary>A 20-byte layout key: a SKU code and a warehouse.</summary>
[MappedLayout]
public partial struct SkuKey
{
    [FixedString(16)]
    public string Code;
    public int Warehouse;
}
