using MudBlazor;

namespace MerchantPortal.Web.Components.Shared;

public static class PortalTheme
{
    // System fonts with CJK fallbacks: the app runs offline, so no web fonts are fetched.
    private static readonly string[] Fonts = ["-apple-system", "Segoe UI", "Roboto", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#ef6c00",
            AppbarBackground = "#0d47a1",
            Background = "#f5f7fa",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#64b5f6",
            Secondary = "#ffb74d",
            AppbarBackground = "#1a1f2b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "232px" },
    };
}
