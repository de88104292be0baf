using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;
using MudBlazor;

namespace MerchantPortal.Web.Components.Lean;

/// <summary>
/// MudThemeProvider whose style blocks are one shared string per theme variant instead of a fresh ~25 KB string per
/// render. P9 (docs/benchmarks.md): a circuit keeps its last two renders, so every open page held two copies of the same
/// CSS (about 50 KB of a 1 MB budget). MudBlazor builds the text as before; only the copy that stays is shared.
/// Anything other than plain markup or text in MudBlazor's output is passed through untouched.
/// </summary>
// BL0006: reading the frames MudBlazor produced is the point; ASP0006: each copied frame keeps MudBlazor's own sequence
// number, so diffs line up exactly as they would without this class. SharedStyleThemeProviderTests renders both
// providers and requires the same markup, so a MudBlazor upgrade that changes the output fails a test, not a page.
#pragma warning disable BL0006, ASP0006
public sealed class SharedStyleThemeProvider : MudThemeProvider
{
    // Light, dark and the fixed blocks: a handful of strings for the whole process; the cap only guards against a theme
    // that changes all the time (then strings are simply not shared).
    private const int MaxShared = 16;
    private static readonly ConcurrentDictionary<string, string> Shared = new(StringComparer.Ordinal);

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        var original = new RenderTreeBuilder();
        base.BuildRenderTree(original);
        var frames = original.GetFrames();
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames.Array[i].FrameType is not (RenderTreeFrameType.Markup or RenderTreeFrameType.Text))
            {
                base.BuildRenderTree(builder);
                return;
            }
        }
        for (var i = 0; i < frames.Count; i++)
        {
            ref var frame = ref frames.Array[i];
            if (frame.FrameType == RenderTreeFrameType.Markup)
            {
                builder.AddMarkupContent(frame.Sequence, Share(frame.MarkupContent));
            }
            else
            {
                builder.AddContent(frame.Sequence, Share(frame.TextContent));
            }
        }
    }

    private static string Share(string text)
    {
        if (Shared.TryGetValue(text, out var shared))
        {
            return shared;
        }
        return Shared.Count < MaxShared ? Shared.GetOrAdd(text, text) : text;
    }
}
#pragma warning restore BL0006, ASP0006
