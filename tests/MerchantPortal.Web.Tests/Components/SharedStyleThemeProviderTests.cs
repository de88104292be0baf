using Bunit;
using MerchantPortal.Web.Components.Lean;
using MerchantPortal.Web.Components.Shared;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Components;

/// <summary>
/// The layout's theme provider shares its style text between circuits (P9); what it renders must stay exactly what
/// MudBlazor's own provider renders, in light and dark mode — a MudBlazor upgrade that changes the output fails here.
/// </summary>
public class SharedStyleThemeProviderTests : BunitTestBase
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_shared_provider_renders_the_same_styles_as_MudBlazors_own(bool dark)
    {
        var mud = Context.Render<MudThemeProvider>(p => p.Add(x => x.Theme, PortalTheme.Theme).Add(x => x.IsDarkMode, dark));
        var shared = Context.Render<SharedStyleThemeProvider>(p => p.Add(x => x.Theme, PortalTheme.Theme).Add(x => x.IsDarkMode, dark));

        Assert.Contains("--mud-palette-primary", shared.Markup);
        Assert.Equal(mud.Markup, shared.Markup);
    }

    [Fact]
    public void Switching_to_dark_mode_changes_the_palette_as_MudBlazors_provider_does()
    {
        var shared = Context.Render<SharedStyleThemeProvider>(p => p.Add(x => x.Theme, PortalTheme.Theme).Add(x => x.IsDarkMode, false));
        var light = shared.Markup;

        shared.Render(p => p.Add(x => x.IsDarkMode, true));

        Assert.NotEqual(light, shared.Markup);
        Assert.Contains(PortalTheme.Theme.PaletteDark.Background.ToString(MudBlazor.Utilities.MudColorOutputFormats.RGBA), shared.Markup);
    }
}
