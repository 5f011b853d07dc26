using System.Threading.Tasks;
using Overlay.Analyzers.MapAccess;
using Xunit;
using Verify = Overlay.Analyzers.Tests.AnalyzerVerifier<Overlay.Analyzers.MapAccess.ReadOnlyMapWriteAnalyzer>;

namespace Overlay.Analyzers.Tests;

public class SmokeTests
{
    [Fact]
    public Task WriteToReadMapIsReported() => Verify.VerifyAsync("""
        using Overlay;
        using Overlay.Layouts;
        class C
        {
            void M()
            {
                using var map = MemoryMap.Open("f", MapAccess.Read);
                {|OVL001:map.WriteByte(1)|};
            }
        }
        """);
}
