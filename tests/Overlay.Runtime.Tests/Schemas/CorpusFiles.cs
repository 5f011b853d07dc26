using System;
using System.Reflection;

namespace Overlay.Tests.Schemas;

/// <summary>Where the committed corpus lives in the sources, for writing a new corpus file once.</summary>
internal static class CorpusFiles
{
    public static string SourceDirectory()
    {
        foreach (AssemblyMetadataAttribute a in typeof(CorpusFiles).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false))
        {
            if (a.Key == "CorpusSourceDirectory")
            {
                return a.Value!;
            }
        }

        throw new InvalidOperationException("CorpusSourceDirectory metadata is missing.");
    }
}
