using System.Globalization;
using Bunit;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Dashboard;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Components;

public class DashboardPageTests : BunitTestBase
{
    private sealed class FixedCounter(string tile, long count) : IDashboardCounter
    {
        public string Tile => tile;

        public Task<long> CountAsync(PortalDbContext db, BusinessDay today, CancellationToken ct) => Task.FromResult(count);
    }

    private void UseRealDatabase()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:DataDirectory"] = TempDirectory.Create("bunit"),
        }).Build();
        Context.Services.AddPortalData(configuration, Path.GetTempPath());
        Context.Services.AddSingleton<BusinessCalendar>();
        Context.Services.AddSingleton<DashboardQueries>();
        using var provider = Context.Services.BuildServiceProvider();
        using var db = provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        db.Database.Migrate();
    }

    [Fact]
    public void Tiles_show_what_the_features_count_and_zero_where_no_feature_counts_yet()
    {
        UseRealDatabase();
        Context.Services.AddSingleton<IDashboardCounter>(new FixedCounter("OrdersToReview", 1234));
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<DashboardPage>());

        page.WaitForAssertion(() =>
        {
            var orders = page.Find("[data-testid=tile-OrdersToReview] [data-testid=tile-count]");
            Assert.Equal("1,234", orders.TextContent.Trim());
            var exceptions = page.Find("[data-testid=tile-OpenExceptions] [data-testid=tile-count]");
            Assert.Equal("0", exceptions.TextContent.Trim());
        });
        Assert.Contains("Orders to review", page.Markup);
    }

    [Fact]
    public void Tiles_are_labelled_in_Chinese_for_a_Chinese_user()
    {
        UseRealDatabase();
        Context.AddAuthorization().SetAuthorized("cs@demo.local").SetRoles(Roles.CustomerService);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");

        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<DashboardPage>());

        page.WaitForAssertion(() => Assert.Contains("待审核订单", page.Markup));
        Assert.Contains("工作台", page.Markup);
    }
}
