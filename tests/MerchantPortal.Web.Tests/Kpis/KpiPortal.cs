using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Kpis;

/// <summary>
/// A portal of the KPI tests' own: the rollup's watermark is global, so another collection's shipments (or the
/// recurring job of a running Hangfire server) must not move it under a test. No Hangfire server here; the tests
/// run the rollup themselves. The fixture of <see cref="KpiFixture"/> is seeded once.
/// </summary>
public sealed class KpiPortal : IAsyncLifetime
{
    public const string Name = "kpi portal";

    private Task? seeded;

    public PortalFactory Factory { get; } = new(overrides: new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });

    public Task SeededAsync() => seeded ??= KpiFixture.SeedAsync(Factory);

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

[CollectionDefinition(KpiPortal.Name)]
public sealed class KpiPortalCollection : ICollectionFixture<KpiPortal>;
