using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Testing;
using Overlay.Analyzers.Pinning;
using Xunit;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.Pinning.PinAnalyzer>;

namespace Overlay.Analyzers.Tests;

/// <summary>
/// OVL005 (Pin/PinReadOnly with a Ref of another layout than the array's views, or than a hash
/// index's values) and OVL006 (Pin on an array, or an index, of read-only views). The layouts are
/// written by hand as the generator would write them (tests/Overlay.Generators.Tests/Snapshots):
/// the constants on the layout struct, the views and Refs nested in it. Game.Record and Game.Vec3 (TestLayouts.cs) are views written by hand, without constants.
/// </summary>
public class PinTests
{
    /// <summary>A layout as generated: constants on the struct, View, ReadOnlyView, Ref and ReadOnlyRef nested in it.</summary>
    private static string Layout(string name, string fingerprint, int size) => $$"""
            public partial struct {{name}}
            {
                public const ulong LayoutFingerprint = {{fingerprint}};
                public const int SizeInBytes = {{size}};

                public readonly struct View : IMappedView<View>
                {
                    static int IMappedView<View>.SizeInBytes => SizeInBytes;
                    static ulong IMappedView<View>.LayoutFingerprint => LayoutFingerprint;
                    static bool IMappedView<View>.IsReadOnly => false;
                    static View IMappedView<View>.Create(MemoryMap map, long offset) => default;
                    public MemoryMap Map => null!;
                    public long Offset => 0;
                }

                public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
                {
                    static int IMappedView<ReadOnlyView>.SizeInBytes => SizeInBytes;
                    static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => LayoutFingerprint;
                    static bool IMappedView<ReadOnlyView>.IsReadOnly => true;
                    static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => default;
                    public MemoryMap Map => null!;
                    public long Offset => 0;
                }

                public readonly ref struct Ref : IMappedRef<Ref>
                {
                    static int IMappedRef<Ref>.SizeInBytes => SizeInBytes;
                    static ulong IMappedRef<Ref>.LayoutFingerprint => LayoutFingerprint;
                    static Ref IMappedRef<Ref>.Create(Span<byte> bytes) => default;
                }

                public readonly ref struct ReadOnlyRef : IReadOnlyMappedRef<ReadOnlyRef>
                {
                    static int IReadOnlyMappedRef<ReadOnlyRef>.SizeInBytes => SizeInBytes;
                    static ulong IReadOnlyMappedRef<ReadOnlyRef>.LayoutFingerprint => LayoutFingerprint;
                    static ReadOnlyRef IReadOnlyMappedRef<ReadOnlyRef>.Create(ReadOnlySpan<byte> bytes) => default;
                }
            }
        """;

    /// <summary>The layouts the cases use, in namespace Pinned.</summary>
    private static readonly string Layouts = $$"""
        using System;
        using Overlay;
        using Overlay.Layouts;

        namespace Pinned
        {
        {{Layout("A", "0x1111111111111111UL", 16)}}

            // Another layout: other fingerprint, other size.
        {{Layout("B", "0x2222222222222222UL", 24)}}

            // A's fields under another name: the same fingerprint and size, so the same layout.
        {{Layout("Twin", "0x1111111111111111UL", 16)}}

            // A's size, another fingerprint.
        {{Layout("SameSize", "0x3333333333333333UL", 16)}}

            // A's fingerprint, another size (only a hand-edited layout could be so).
        {{Layout("Longer", "0x1111111111111111UL", 32)}}

            // B's size and fingerprint in [GeneratedLayout], its fields taking the constants' names (the
            // generator then leaves the constants out): the attribute decides.
            [Overlay.Layouts.Support.GeneratedLayout(24, 0x2222222222222222UL)]
            public partial struct Taken
            {
                public long SizeInBytes;
                public long LayoutFingerprint;

                public readonly ref struct Ref : IMappedRef<Ref>
                {
                    static int IMappedRef<Ref>.SizeInBytes => 24;
                    static ulong IMappedRef<Ref>.LayoutFingerprint => 0x2222222222222222UL;
                    static Ref IMappedRef<Ref>.Create(Span<byte> bytes) => default;
                }
            }

            // A Ref written by hand, in no layout: nothing to compare.
            public readonly ref struct LooseRef : IMappedRef<LooseRef>, IReadOnlyMappedRef<LooseRef>
            {
                public static int SizeInBytes => 8;
                public static ulong LayoutFingerprint => 0x9999UL;
                public static LooseRef Create(Span<byte> bytes) => default;
                public static LooseRef Create(ReadOnlySpan<byte> bytes) => default;
            }

            // A layout-like type with only one of the constants: not a layout the analyzer knows.
            public struct OneConstant
            {
                public const ulong LayoutFingerprint = 0x4444UL;

                public readonly ref struct Ref : IMappedRef<Ref>
                {
                    static int IMappedRef<Ref>.SizeInBytes => 4;
                    static ulong IMappedRef<Ref>.LayoutFingerprint => LayoutFingerprint;
                    static Ref IMappedRef<Ref>.Create(Span<byte> bytes) => default;
                }
            }

            // A ReadOnlyView that says it is writable (written by hand): IsReadOnly decides, not the name.
            public struct Odd
            {
                public const ulong LayoutFingerprint = 0x1111111111111111UL;
                public const int SizeInBytes = 16;

                public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
                {
                    static int IMappedView<ReadOnlyView>.SizeInBytes => SizeInBytes;
                    static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => LayoutFingerprint;
                    static bool IMappedView<ReadOnlyView>.IsReadOnly => false;
                    static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => default;
                    public MemoryMap Map => null!;
                    public long Offset => 0;
                }
            }

            // Views whose IsReadOnly is computed: the generator's naming decides.
            public struct Computed
            {
                public const ulong LayoutFingerprint = 0x1111111111111111UL;
                public const int SizeInBytes = 16;
                private static bool No => false;

                public readonly struct ReadOnlyView : IMappedView<ReadOnlyView>
                {
                    static int IMappedView<ReadOnlyView>.SizeInBytes => SizeInBytes;
                    static ulong IMappedView<ReadOnlyView>.LayoutFingerprint => LayoutFingerprint;
                    static bool IMappedView<ReadOnlyView>.IsReadOnly => !No;
                    static ReadOnlyView IMappedView<ReadOnlyView>.Create(MemoryMap map, long offset) => default;
                    public MemoryMap Map => null!;
                    public long Offset => 0;
                }

                public readonly struct View : IMappedView<View>
                {
                    static int IMappedView<View>.SizeInBytes => SizeInBytes;
                    static ulong IMappedView<View>.LayoutFingerprint => LayoutFingerprint;
                    static bool IMappedView<View>.IsReadOnly => No;
                    static View IMappedView<View>.Create(MemoryMap map, long offset) => default;
                    public MemoryMap Map => null!;
                    public long Offset => 0;
                }
            }

            // Written by hand, implicitly and with a block body: still a literal true.
            public readonly struct HandReadOnly : IMappedView<HandReadOnly>
            {
                public static int SizeInBytes => 16;
                public static ulong LayoutFingerprint => 0x1111111111111111UL;
                public static bool IsReadOnly { get { return (true); } }
                public static HandReadOnly Create(MemoryMap map, long offset) => default;
                public MemoryMap Map => null!;
                public long Offset => 0;
            }
        }
        """;

    /// <summary>Statements in a method with arrays of every kind at hand.</summary>
    private static string Calls(string body) => $$"""
        using System;
        using Overlay;
        using Overlay.Indexes;
        using Overlay.Layouts;
        using Pinned;

        class C
        {
            void M(
                MappedHashIndex<ulong, A.View> idx,
                MappedHashIndex<ulong, A.ReadOnlyView> idxRo,
                MappedSortedIndex<ulong, A.View> sorted,
                MappedSortedIndex<ulong, A.ReadOnlyView> sortedRo,
                MappedArray<A.View> a,
                MappedArray<A.ReadOnlyView> ro,
                MappedArray<A.View>? maybe,
                MappedArray<Game.Record.View> hand,
                MappedArray<Game.Record.ReadOnlyView> handRo,
                MappedArray<Game.Vec3.ReadOnlyView> vec)
            {
        {{body}}
            }

            void G<T>(MappedArray<T> t) where T : struct, IMappedView<T> => t.Pin<B.Ref>(static s => { });
        }
        """;

    private static Task VerifyAsync(string body, params DiagnosticResult[] expected) =>
        Verify.VerifyFilesAsync(new[] { ("Test0.cs", Calls(body)), ("Pinned.cs", Layouts) }, expected);

    [Theory]
    // Each of the six overloads, TRef given.
    [InlineData("""a.Pin<{|OVL005:B.Ref|}>(static s => { });""")]
    [InlineData("""int r = a.Pin<{|OVL005:B.Ref|}, int>(static s => s.Length);""")]
    [InlineData("""int r = a.Pin<{|OVL005:B.Ref|}, int, int>(1, static (s, x) => x);""")]
    [InlineData("""a.PinReadOnly<{|OVL005:B.ReadOnlyRef|}>(static s => { });""")]
    [InlineData("""int r = a.PinReadOnly<{|OVL005:B.ReadOnlyRef|}, int>(static s => s.Length);""")]
    [InlineData("""int r = a.PinReadOnly<{|OVL005:B.ReadOnlyRef|}, int, int>(1, static (s, x) => x);""")]
    // Each of the six, TRef inferred from the lambda's parameter type.
    [InlineData("""a.{|OVL005:Pin|}((MappedSpan<B.Ref> s) => { });""")]
    [InlineData("""int r = a.{|OVL005:Pin|}((MappedSpan<B.Ref> s) => s.Length);""")]
    [InlineData("""int r = a.{|OVL005:Pin|}(1, (MappedSpan<B.Ref> s, int x) => x);""")]
    [InlineData("""a.{|OVL005:PinReadOnly|}((ReadOnlyMappedSpan<B.ReadOnlyRef> s) => { });""")]
    [InlineData("""int r = a.{|OVL005:PinReadOnly|}((ReadOnlyMappedSpan<B.ReadOnlyRef> s) => s.Length);""")]
    [InlineData("""int r = a.{|OVL005:PinReadOnly|}(1, (ReadOnlyMappedSpan<B.ReadOnlyRef> s, int x) => x);""")]
    // Only the fingerprint differs; only the size differs.
    [InlineData("""a.Pin<{|OVL005:SameSize.Ref|}>(static s => { });""")]
    [InlineData("""a.PinReadOnly<{|OVL005:Longer.ReadOnlyRef|}>(static s => { });""")]
    // A layout whose fields took the constants' names: its [GeneratedLayout] says what it is.
    [InlineData("""a.Pin<{|OVL005:Taken.Ref|}>(static s => { });""")]
    // An array of read-only views, read with another layout's ReadOnlyRef.
    [InlineData("""ro.PinReadOnly<{|OVL005:B.ReadOnlyRef|}>(static s => { });""")]
    // Through ?., as a method group (given and inferred), as an argument.
    [InlineData("""maybe?.Pin<{|OVL005:B.Ref|}>(static s => { });""")]
    [InlineData("""Action<Action<MappedSpan<B.Ref>>> f = a.Pin<{|OVL005:B.Ref|}>;""")]
    [InlineData("""Action<Action<MappedSpan<B.Ref>>> f = a.{|OVL005:Pin|};""")]
    [InlineData("""Console.WriteLine(a.PinReadOnly<{|OVL005:B.ReadOnlyRef|}, int>(static s => 0));""")]
    public Task RefOfAnotherLayoutIsReported(string body) => VerifyAsync(body);

    [Theory]
    // The layout's own Ref and ReadOnlyRef, in each overload.
    [InlineData("""a.Pin<A.Ref>(static s => { });""")]
    [InlineData("""int r = a.Pin<A.Ref, int>(static s => s.Length);""")]
    [InlineData("""int r = a.Pin<A.Ref, int, int>(1, static (s, x) => x);""")]
    [InlineData("""a.PinReadOnly<A.ReadOnlyRef>(static s => { });""")]
    [InlineData("""int r = a.PinReadOnly<A.ReadOnlyRef, int>(static s => s.Length);""")]
    [InlineData("""int r = a.PinReadOnly<A.ReadOnlyRef, int, int>(1, static (s, x) => x);""")]
    [InlineData("""a.Pin((MappedSpan<A.Ref> s) => { });""")]
    [InlineData("""a.PinReadOnly((ReadOnlyMappedSpan<A.ReadOnlyRef> s) => { });""")]
    [InlineData("""ro.PinReadOnly<A.ReadOnlyRef>(static s => { });""")]
    // Another layout with the same fingerprint and size: the run time accepts it.
    [InlineData("""a.Pin<Twin.Ref>(static s => { });""")]
    [InlineData("""int r = a.PinReadOnly<Twin.ReadOnlyRef, int, int>(1, static (s, x) => x);""")]
    [InlineData("""a.Pin((MappedSpan<Twin.Ref> s) => { });""")]
    // Views written by hand, without the constants.
    [InlineData("""hand.Pin<B.Ref>(static s => { });""")]
    [InlineData("""hand.PinReadOnly<B.ReadOnlyRef>(static s => { });""")]
    [InlineData("""handRo.PinReadOnly<A.ReadOnlyRef>(static s => { });""")]
    // Refs written by hand, or in a type with only one of the constants.
    [InlineData("""a.Pin<LooseRef>(static s => { });""")]
    [InlineData("""a.PinReadOnly<LooseRef>(static s => { });""")]
    [InlineData("""a.Pin<OneConstant.Ref>(static s => { });""")]
    // Other members of the array.
    [InlineData("""var v = a[0]; var part = a.Slice(0, 1); long n = a.Count;""")]
    public Task RefOfTheSameLayoutIsNotReported(string body) => VerifyAsync(body);

    [Theory]
    // Generated read-only views: each Pin overload, TRef given or inferred.
    [InlineData("""ro.{|OVL006:Pin|}<A.Ref>(static s => { });""")]
    [InlineData("""int r = ro.{|OVL006:Pin|}<A.Ref, int>(static s => s.Length);""")]
    [InlineData("""int r = ro.{|OVL006:Pin|}<A.Ref, int, int>(1, static (s, x) => x);""")]
    [InlineData("""ro.{|OVL006:Pin|}((MappedSpan<A.Ref> s) => { });""")]
    [InlineData("""Action<Action<MappedSpan<A.Ref>>> f = ro.{|OVL006:Pin|};""")]
    [InlineData("""new MappedArray<Twin.ReadOnlyView>(null!, 0, 0).{|OVL006:Pin|}<A.Ref>(static s => { });""")]
    // Both rules at once: the run time throws ArgumentException first, but both need fixing.
    [InlineData("""ro.{|OVL006:Pin|}<{|OVL005:B.Ref|}>(static s => { });""")]
    // Written by hand, without constants, but IsReadOnly => true.
    [InlineData("""vec.{|OVL006:Pin|}<A.Ref>(static s => { });""")]
    [InlineData("""handRo.{|OVL006:Pin|}<B.Ref>(static s => { });""")]
    // An implicit IsReadOnly { get { return (true); } } outside any layout.
    [InlineData("""new MappedArray<HandReadOnly>(null!, 0, 0).{|OVL006:Pin|}<A.Ref>(static s => { });""")]
    // IsReadOnly computed: a ReadOnlyView nested in a type with LayoutFingerprint is the generator's.
    [InlineData("""new MappedArray<Computed.ReadOnlyView>(null!, 0, 0).{|OVL006:Pin|}<A.Ref>(static s => { });""")]
    public Task PinOnReadOnlyViewsIsReported(string body) => VerifyAsync(body);

    [Theory]
    [InlineData("""ro.PinReadOnly<A.ReadOnlyRef>(static s => { });""")]
    [InlineData("""int r = ro.PinReadOnly<A.ReadOnlyRef, int, int>(1, static (s, x) => x);""")]
    [InlineData("""vec.PinReadOnly<A.ReadOnlyRef>(static s => { });""")]
    [InlineData("""a.Pin<A.Ref>(static s => { });""")]
    [InlineData("""int r = a.Pin<A.Ref, int, int>(1, static (s, x) => x);""")]
    [InlineData("""hand.Pin<A.Ref>(static s => { });""")]
    // Named ReadOnlyView in a layout, but its IsReadOnly is a literal false: the run time lets it pin.
    [InlineData("""new MappedArray<Odd.ReadOnlyView>(null!, 0, 0).Pin<A.Ref>(static s => { });""")]
    // IsReadOnly computed, not named ReadOnlyView: nothing says it is read-only.
    [InlineData("""new MappedArray<Computed.View>(null!, 0, 0).Pin<A.Ref>(static s => { });""")]
    public Task PinOnWritableViewsOrPinReadOnlyIsNotReported(string body) => VerifyAsync(body);

    [Fact]
    public Task MessagesSayWhatIsWrong() => VerifyAsync(
        """
        a.Pin<{|#0:B.Ref|}>(static s => { });
        a.{|#1:PinReadOnly|}((ReadOnlyMappedSpan<SameSize.ReadOnlyRef> s) => { });
        ro.{|#2:Pin|}<A.Ref>(static s => { });
        """,
        Verify.Diagnostic("OVL005").WithLocation(0)
            .WithMessage("'Pinned.B.Ref' is a Ref of layout 'Pinned.B' but the array's views are of layout 'Pinned.A' (fingerprint 0x2222222222222222, 24 bytes against 0x1111111111111111, 16 bytes): 'Pin' throws ArgumentException at run time"),
        Verify.Diagnostic("OVL005").WithLocation(1)
            .WithMessage("'Pinned.SameSize.ReadOnlyRef' is a Ref of layout 'Pinned.SameSize' but the array's views are of layout 'Pinned.A' (fingerprint 0x3333333333333333, 16 bytes against 0x1111111111111111, 16 bytes): 'PinReadOnly' throws ArgumentException at run time"),
        Verify.Diagnostic("OVL006").WithLocation(2)
            .WithMessage("'Pin' hands out writable Refs but the array's views are read-only ('Pinned.A.ReadOnlyView'): it throws NotSupportedException at run time; use PinReadOnly"));

    [Theory]
    // A hash index's pins, checked against its values' layout: each overload, TRef given.
    [InlineData("""int r = idx.Pin<{|OVL005:B.Ref|}, int>(static p => 0);""")]
    [InlineData("""int r = idx.Pin<{|OVL005:B.Ref|}, int, int>(1, static (p, x) => x);""")]
    [InlineData("""int r = idx.PinReadOnly<{|OVL005:B.ReadOnlyRef|}, int>(static p => 0);""")]
    [InlineData("""int r = idx.PinReadOnly<{|OVL005:SameSize.ReadOnlyRef|}, int, int>(1, static (p, x) => x);""")]
    [InlineData("""int r = idxRo.PinReadOnly<{|OVL005:Longer.ReadOnlyRef|}, int>(static p => 0);""")]
    // TRef inferred from the lambda's parameter type; a method group.
    [InlineData("""int r = idx.{|OVL005:PinReadOnly|}((ReadOnlyPinnedHashIndex<ulong, B.ReadOnlyRef> p) => 0);""")]
    [InlineData("""Func<Func<PinnedHashIndex<ulong, B.Ref>, int>, int> f = idx.Pin<{|OVL005:B.Ref|}, int>;""")]
    // Pin on an index of read-only views, alone and with a Ref of another layout.
    [InlineData("""int r = idxRo.{|OVL006:Pin|}<A.Ref, int>(static p => 0);""")]
    [InlineData("""int r = idxRo.{|OVL006:Pin|}<A.Ref, int, int>(1, static (p, x) => x);""")]
    [InlineData("""int r = idxRo.{|OVL006:Pin|}<{|OVL005:B.Ref|}, int>(static p => 0);""")]
    public Task HashIndexPinsAreReported(string body) => VerifyAsync(body);

    [Theory]
    [InlineData("""int r = idx.Pin<A.Ref, int>(static p => 0);""")]
    [InlineData("""int r = idx.PinReadOnly<A.ReadOnlyRef, int, int>(1, static (p, x) => x);""")]
    [InlineData("""int r = idx.PinReadOnly<Twin.ReadOnlyRef, int>(static p => 0);""")]
    [InlineData("""int r = idxRo.PinReadOnly<A.ReadOnlyRef, int>(static p => 0);""")]
    [InlineData("""int r = idx.PinReadOnly<LooseRef, int>(static p => 0);""")]
    [InlineData("""long n = idx.Count; bool found = idx.TryGetValue(1, out A.View v);""")]
    public Task HashIndexPinsOfTheValuesLayoutAreNotReported(string body) => VerifyAsync(body);

    [Theory]
    // A sorted index's pins, as the hash index's.
    [InlineData("""int r = sorted.Pin<{|OVL005:B.Ref|}, int>(static p => 0);""")]
    [InlineData("""int r = sorted.PinReadOnly<{|OVL005:SameSize.ReadOnlyRef|}, int, int>(1, static (p, x) => x);""")]
    [InlineData("""int r = sortedRo.PinReadOnly<{|OVL005:Longer.ReadOnlyRef|}, int>(static p => 0);""")]
    [InlineData("""int r = sorted.{|OVL005:PinReadOnly|}((ReadOnlyPinnedSortedIndex<ulong, A.View, B.ReadOnlyRef> p) => 0);""")]
    [InlineData("""int r = sortedRo.{|OVL006:Pin|}<A.Ref, int>(static p => 0);""")]
    [InlineData("""int r = sortedRo.{|OVL006:Pin|}<{|OVL005:B.Ref|}, int, int>(1, static (p, x) => x);""")]
    public Task SortedIndexPinsAreReported(string body) => VerifyAsync(body);

    [Theory]
    [InlineData("""int r = sorted.Pin<A.Ref, int>(static p => 0);""")]
    [InlineData("""int r = sortedRo.PinReadOnly<A.ReadOnlyRef, int, int>(1, static (p, x) => x);""")]
    [InlineData("""int r = sorted.PinReadOnly<Twin.ReadOnlyRef, int>(static p => 0);""")]
    [InlineData("""long n = sorted.Count; bool found = sorted.TryGetValue(1, out A.View v);""")]
    public Task SortedIndexPinsOfTheValuesLayoutAreNotReported(string body) => VerifyAsync(body);

    [Fact]
    public Task HashIndexMessagesSpeakOfTheIndexValues() => VerifyAsync(
        """
        int r = idx.PinReadOnly<{|#0:B.ReadOnlyRef|}, int>(static p => 0);
        int s = idxRo.{|#1:Pin|}<A.Ref, int>(static p => 0);
        """,
        Verify.Diagnostic("OVL005").WithLocation(0)
            .WithMessage("'Pinned.B.ReadOnlyRef' is a Ref of layout 'Pinned.B' but the index's values are of layout 'Pinned.A' (fingerprint 0x2222222222222222, 24 bytes against 0x1111111111111111, 16 bytes): 'PinReadOnly' throws ArgumentException at run time"),
        Verify.Diagnostic("OVL006").WithLocation(1)
            .WithMessage("'Pin' hands out writable Refs but the index's values are read-only ('Pinned.A.ReadOnlyView'): it throws NotSupportedException at run time; use PinReadOnly"));

    [Fact]
    public void DescriptorsAreErrorsOfTheUsageCategoryWithHelpPages()
    {
        var analyzer = new PinAnalyzer();
        Assert.Equal(new[] { "OVL005", "OVL006" }, analyzer.SupportedDiagnostics.Select(d => d.Id));
        foreach (DiagnosticDescriptor descriptor in analyzer.SupportedDiagnostics)
        {
            Assert.Equal(DiagnosticSeverity.Error, descriptor.DefaultSeverity);
            Assert.Equal("Overlay.Usage", descriptor.Category);
            Assert.True(descriptor.IsEnabledByDefault);
            Assert.EndsWith($"/diagnostics/{descriptor.Id}.html", descriptor.HelpLinkUri); // a page of the docs site (tests/Overlay.Docs.Tests)
        }
    }

    [Fact]
    public Task GeneratedCodeIsNotAnalysed() => Verify.VerifyFilesAsync(new[]
    {
        ("Generated.cs", """
            // <auto-generated/>
            using Overlay;
            using Overlay.Layouts;
            using Pinned;
            class C
            {
                void M(MappedArray<A.ReadOnlyView> ro) => ro.Pin<B.Ref>(static s => { });
            }
            """),
        ("Pinned.cs", Layouts),
    });

    /// <summary>
    /// Layouts from a referenced assembly: the constants come from metadata, and with no source
    /// for IsReadOnly the generator's naming (ReadOnlyView in a layout) decides.
    /// </summary>
    [Fact]
    public Task LayoutsFromMetadataAreChecked()
    {
        var test = new CSharpAnalyzerTest<PinAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
            TestCode = """
                using Overlay;
                using Overlay.Layouts;
                using Pinned;
                class C
                {
                    void M(MappedArray<A.View> a, MappedArray<A.ReadOnlyView> ro, MappedArray<Computed.ReadOnlyView> computedRo, MappedArray<Computed.View> computed)
                    {
                        a.Pin<A.Ref>(static s => { });
                        a.Pin<Twin.Ref>(static s => { });
                        a.Pin<{|OVL005:B.Ref|}>(static s => { });
                        ro.PinReadOnly<A.ReadOnlyRef>(static s => { });
                        ro.{|OVL006:Pin|}<A.Ref>(static s => { });
                        computedRo.{|OVL006:Pin|}<A.Ref>(static s => { });
                        computed.Pin<A.Ref>(static s => { });
                    }
                }
                """,
        };
        TestReferences.Configure(test.TestState);
        test.TestState.AdditionalReferences.Add(CompileToMetadata(Layouts));
        return test.RunAsync(CancellationToken.None);
    }

    private static MetadataReference CompileToMetadata(string source)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "PinnedLayouts",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
