using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace MerchantPortal.Web.Components.Lean;

/// <summary>
/// MudBlazor's markup for buttons and icons on pages rendered as plain elements (P9, docs/benchmarks.md): a MudButton is
/// a button component plus an icon component, and every component a circuit holds keeps two render buffers for as long
/// as the page is open. The classes are MudBlazor's own, so the page looks the same.
/// </summary>
public static class Lean
{
    private static readonly ConcurrentDictionary<(string Path, string Size), MarkupString> Icons = new();

    /// <summary>The classes MudButton renders, e.g. <c>Button("outlined", "default")</c>.</summary>
    public static string Button(string variant, string color = "default", string size = "medium") =>
        $"mud-button-root mud-button mud-button-{variant} mud-button-{variant}-{color} mud-button-{variant}-size-{size} mud-ripple";

    /// <summary>A MudBlazor icon (one of <c>MudBlazor.Icons</c>' SVG bodies) as one markup frame, cached per icon and size.</summary>
    public static MarkupString Icon(string svgBody, string size = "medium") =>
        Icons.GetOrAdd((svgBody, size), key => new MarkupString(
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-{key.Size}\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{key.Path}</svg>"));

    /// <summary>A button's leading icon, as MudButton's StartIcon renders it.</summary>
    public static MarkupString StartIcon(string svgBody, string size = "medium") =>
        Icons.GetOrAdd(("start:" + svgBody, size), key => new MarkupString(
            $"<span class=\"mud-button-icon-start mud-button-icon-size-{key.Size}\">{Icon(svgBody, key.Size)}</span>"));

    /// <summary>A button's trailing icon, as MudButton's EndIcon renders it.</summary>
    public static MarkupString EndIcon(string svgBody, string size = "medium") =>
        Icons.GetOrAdd(("end:" + svgBody, size), key => new MarkupString(
            $"<span class=\"mud-button-icon-end mud-button-icon-size-{key.Size}\">{Icon(svgBody, key.Size)}</span>"));
}
