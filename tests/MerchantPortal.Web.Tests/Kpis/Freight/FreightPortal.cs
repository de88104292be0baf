using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Kpis.Freight;

/// <summary>
/// A portal of the hub alert and freight tests' own, without a Hangfire server: the tests run the bill job and
/// the hub sweep themselves, at the times they choose, so a background run never races an assertion.
/// </summary>
public sealed class FreightPortal : IAsyncLifetime
{
    public const string Name = "freight portal";

    public PortalFactory Factory { get; } = new(overrides: new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["DemoData:Orders"] = "20" });

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

[CollectionDefinition(FreightPortal.Name)]
public sealed class FreightPortalCollection : ICollectionFixture<FreightPortal>;
