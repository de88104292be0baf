using System.Globalization;
using MerchantPortal.Web.Features.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>The portal's own case resolutions and its name as the actor are worded; people's words are kept.</summary>
public class CaseWordsTests
{
    private static readonly IStringLocalizer<MonitoringResources> L = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
        .GetRequiredService<IStringLocalizer<MonitoringResources>>();

    [Theory]
    [InlineData("zh-CN", "Delivered", "已关闭：包裹已妥投")]
    [InlineData("zh-CN", "Pickup rebooked: R1-1-2", "已关闭：已重新预约取件（R1-1-2）")]
    [InlineData("en", "Collected after all: R1-1-2", "Closed: the courier collected the parcel after all (R1-1-2)")]
    [InlineData("en", "Return cancelled", "Closed: the return was cancelled")]
    [InlineData("zh-CN", "客户同意明天再派", "客户同意明天再派")]
    public void A_resolution_reads_in_the_readers_language(string culture, string stored, string shown)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(culture);

        Assert.Equal(shown, CaseWords.Resolution(stored, L));
    }

    [Fact]
    public void The_portal_is_named_as_the_actor_and_a_person_by_their_name()
    {
        CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");

        Assert.Equal(("系统", "ops@demo.local"), (CaseWords.Actor(CaseWriter.System, L), CaseWords.Actor("ops@demo.local", L)));
    }
}
