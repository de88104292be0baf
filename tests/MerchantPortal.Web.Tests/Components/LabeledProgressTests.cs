using Bunit;
using MerchantPortal.Web.Components.Shared;

namespace MerchantPortal.Web.Tests.Components;

/// <summary>A progress bar's text sits beside the bar, in the page's text colour, whatever the fill.</summary>
public class LabeledProgressTests : BunitTestBase
{
    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(100)]
    public void The_text_is_beside_the_bar_not_on_it_and_the_bar_keeps_its_test_attributes(int percent)
    {
        var bar = Context.Render<LabeledProgress>(p => p
            .Add(c => c.Value, percent)
            .Add(c => c.LabelTestId, "label")
            .AddUnmatched("data-testid", "bar").AddUnmatched("data-percent", percent)
            .AddChildContent($"{percent}% · 5 / 5"));

        var progress = bar.Find("[data-testid=bar]");
        Assert.Equal(percent.ToString(System.Globalization.CultureInfo.InvariantCulture), progress.GetAttribute("data-percent"));
        Assert.DoesNotContain("%", progress.TextContent, StringComparison.Ordinal);
        var label = bar.Find("[data-testid=label]");
        Assert.Equal($"{percent}% · 5 / 5", label.TextContent);
        Assert.False(progress.Contains(label));
        Assert.Contains("color:var(--mud-palette-text-primary)", label.GetAttribute("style"), StringComparison.Ordinal);
    }
}
