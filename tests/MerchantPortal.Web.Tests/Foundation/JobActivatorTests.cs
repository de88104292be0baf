using Hangfire;
using Hangfire.AspNetCore;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Web.Tests.Foundation;

/// <summary>
/// A portal's job server activates its jobs from its own container, whatever host configured Hangfire last. The
/// library's registration hands out the process-global JobActivator.Current as it is when the server is built; a
/// portal that configured Hangfire early in its start-up and built its server a few seconds later (after migrations
/// and demo data) got the activator of a host that started meanwhile. Its jobs then ran in the other portal's
/// container, against the other database: a clean-clone CI run showed a waybill batch Queued for four minutes while
/// its host's server was alive, idle and had nothing queued.
/// </summary>
public class JobActivatorTests
{
    private sealed class Marker;

    [Fact]
    public void The_job_activator_stays_this_hosts_own_after_another_host_configures_Hangfire()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Marker>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:DataDirectory"] = TempDirectory.Create("activator"),
            ["Jobs:RunServer"] = "false",
        }).Build();
        services.AddPortalJobs(configuration, AppContext.BaseDirectory);
        using var provider = services.BuildServiceProvider();
        // This host configures Hangfire (as its start-up does when it first resolves a job client)…
        provider.GetRequiredService<IGlobalConfiguration>();
        var previous = JobActivator.Current;
        try
        {
            // …then another host in the process configures it too, before this host builds its job server.
            JobActivator.Current = new JobActivator();

            var activator = provider.GetRequiredService<JobActivator>();

            Assert.IsType<AspNetCoreJobActivator>(activator);
            using var scope = activator.BeginScope((JobActivatorContext)null!);
            Assert.Same(provider.GetRequiredService<Marker>(), scope.Resolve(typeof(Marker)));
        }
        finally
        {
            JobActivator.Current = previous;
        }
    }
}
