using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Overlay.Docs.Tests;

/// <summary>
/// The documentation site (issue 13): it builds with docfx's warnings as errors, every link
/// inside it reaches a page (and an anchor on it) that exists, every diagnostic's help link is one
/// of its pages, and every rule page is listed.
/// </summary>
public sealed partial class SiteTests : IClassFixture<SiteFixture>
{
    private readonly SiteFixture _site;

    public SiteTests(SiteFixture site) => _site = site;

    [Fact]
    public void TheSiteBuildsWithWarningsAsErrors()
    {
        Assert.True(_site.BuildExitCode == 0, $"docfx failed ({_site.BuildExitCode}):\n{_site.BuildOutput}");
        Assert.True(File.Exists(Path.Combine(_site.Site, "index.html")), "the site has no home page");
        Assert.True(File.Exists(Path.Combine(_site.Site, "api", "Overlay.MemoryMap.html")), "the API reference has no page for MemoryMap");
    }

    [Fact]
    public void EveryInternalLinkResolves()
    {
        Assert.True(_site.BuildExitCode == 0, $"docfx failed:\n{_site.BuildOutput}");
        var broken = new List<string>();
        int checkedLinks = 0;
        var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        string[] pages = Directory.GetFiles(_site.Site, "*.html", SearchOption.AllDirectories);
        Assert.NotEmpty(pages);
        foreach (string page in pages)
        {
            string html = File.ReadAllText(page);
            foreach (Match match in LinkAttribute().Matches(html))
            {
                string link = WebUtility.HtmlDecode(match.Groups["url"].Value);
                if (IsExternal(link))
                {
                    continue;
                }

                int hash = link.IndexOf('#', StringComparison.Ordinal);
                string path = hash >= 0 ? link[..hash] : link;
                string anchor = hash >= 0 ? Uri.UnescapeDataString(link[(hash + 1)..]) : string.Empty;
                int query = path.IndexOf('?', StringComparison.Ordinal);
                if (query >= 0)
                {
                    path = path[..query];
                }

                checkedLinks++;
                string target = path.Length == 0
                    ? page
                    : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(page)!, Uri.UnescapeDataString(path)));
                if (Directory.Exists(target))
                {
                    target = Path.Combine(target, "index.html");
                }

                string from = Path.GetRelativePath(_site.Site, page);
                if (!File.Exists(target))
                {
                    broken.Add($"{from}: {link} (no such file)");
                }
                else if (anchor.Length > 0 && target.EndsWith(".html", StringComparison.Ordinal) && !IdsOf(target, ids).Contains(anchor))
                {
                    broken.Add($"{from}: {link} (no element with id '{anchor}')");
                }
            }
        }

        Assert.True(checkedLinks > 1000, $"only {checkedLinks} internal links found: the link pattern no longer matches docfx's pages");
        Assert.True(broken.Count == 0, $"{broken.Count} broken links:\n" + string.Join("\n", broken.Distinct().Take(60)));
    }

    [Fact]
    public void EveryDiagnosticsHelpLinkIsAPageOfTheSite()
    {
        Assert.True(_site.BuildExitCode == 0, $"docfx failed:\n{_site.BuildOutput}");
        string baseUrl = SiteBaseUrl();
        List<DiagnosticDescriptor> descriptors = AllDescriptors();
        Assert.NotEmpty(descriptors);
        foreach (DiagnosticDescriptor descriptor in descriptors)
        {
            Assert.StartsWith(baseUrl, descriptor.HelpLinkUri, StringComparison.Ordinal);
            string page = descriptor.HelpLinkUri[baseUrl.Length..];
            Assert.Equal($"diagnostics/{descriptor.Id}.html", page);
            Assert.True(File.Exists(Path.Combine(_site.Site, page)), $"{descriptor.Id}'s help link {descriptor.HelpLinkUri} is not a page of the site");
        }
    }

    [Fact]
    public void EveryRulePageIsListedAndEveryRuleHasAPage()
    {
        string diagnostics = Path.Combine(_site.Root, "docs", "diagnostics");
        string toc = File.ReadAllText(Path.Combine(diagnostics, "toc.yml"));
        string index = File.ReadAllText(Path.Combine(diagnostics, "index.md"));
        var pages = Directory.GetFiles(diagnostics, "OVL*.md").Select(Path.GetFileName).ToList();
        foreach (string? page in pages)
        {
            Assert.Contains($"href: {page}", toc, StringComparison.Ordinal);
            Assert.Contains($"]({page})", index, StringComparison.Ordinal);
        }

        foreach (string id in AllDescriptors().Select(d => d.Id).Distinct())
        {
            Assert.Contains($"{id}.md", pages);
        }
    }

    private string SiteBaseUrl()
    {
        using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(_site.Root, "docs", "docfx.json")));
        return config.RootElement.GetProperty("build").GetProperty("sitemap").GetProperty("baseUrl").GetString()!;
    }

    /// <summary>Every descriptor the analyzers and the generator can report: each analyzer's
    /// supported diagnostics, and every static descriptor field of both assemblies (the generator
    /// reports its own).</summary>
    private static List<DiagnosticDescriptor> AllDescriptors()
    {
        var found = new List<DiagnosticDescriptor>();
        Assembly[] assemblies =
        [
            Assembly.Load("Overlay.Generators"),
            Assembly.Load("Overlay.Analyzers"),
        ];
        foreach (Type type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                found.AddRange(((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics);
            }

            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (field.FieldType == typeof(DiagnosticDescriptor) && field.GetValue(null) is DiagnosticDescriptor descriptor)
                {
                    found.Add(descriptor);
                }
            }
        }

        return found.Where(d => d.Id.StartsWith("OVL", StringComparison.Ordinal)).DistinctBy(d => (d.Id, d.HelpLinkUri)).ToList();
    }

    private static bool IsExternal(string link) =>
        link.Length == 0
        || link.StartsWith("http:", StringComparison.OrdinalIgnoreCase)
        || link.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
        || link.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
        || link.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
        || link.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
        || link.StartsWith("//", StringComparison.Ordinal)
        || link.StartsWith("{", StringComparison.Ordinal); // a template placeholder the site's script fills

    private static HashSet<string> IdsOf(string page, Dictionary<string, HashSet<string>> cache)
    {
        if (!cache.TryGetValue(page, out HashSet<string>? ids))
        {
            ids = IdAttribute().Matches(File.ReadAllText(page)).Select(m => WebUtility.HtmlDecode(m.Groups["id"].Value)).ToHashSet(StringComparer.Ordinal);
            cache[page] = ids;
        }

        return ids;
    }

    [GeneratedRegex("""\s(?:href|src)="(?<url>[^"]*)"|\s(?:href|src)='(?<url>[^']*)'""")]
    private static partial Regex LinkAttribute();

    [GeneratedRegex("""\s(?:id|name)="(?<id>[^"]*)"|\s(?:id|name)='(?<id>[^']*)'""")]
    private static partial Regex IdAttribute();
}
