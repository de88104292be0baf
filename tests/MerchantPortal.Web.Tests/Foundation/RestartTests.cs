using Hangfire;
using Hangfire.Storage;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.Foundation;

public class RestartTests
{
    [Fact]
    public async Task Restarting_the_app_keeps_the_data_and_registers_each_recurring_job_once()
    {
        var dataDirectory = TempDirectory.Create("restart");
        int keyId;
        await using (var first = new PortalFactory(dataDirectory))
        {
            first.Start();
            var created = await first.GetService<ApiKeyService>().CreateAsync("kept across restarts", [ApiScopes.OrdersRead], "test");
            keyId = created.Id;
        }

        await using var second = new PortalFactory(dataDirectory);
        second.Start();
        var keys = await second.GetService<ApiKeyService>().ListAsync();
        Assert.Contains(keys, k => k.Id == keyId && k.Name == "kept across restarts");

        using var connection = second.GetService<JobStorage>().GetConnection();
        var recurring = connection.GetRecurringJobs();
        var definitions = second.GetService<RecurringJobsRegistry>().Definitions;
        Assert.Equal(definitions.Count, recurring.Count);
        Assert.Equal(
            definitions.Select(d => d.Id).Order(),
            recurring.Select(r => r.Id).Order());
    }
}
