namespace MerchantPortal.Carriers.Tests.Contract;

/// <summary>
/// The sandbox's own per-second limit (not an injected fault) in both of its modes, against a gateway account that
/// is allowed to send faster than the sandbox accepts (§2.10, §4 ResultCode 405). Each test hosts its own sandbox.
/// </summary>
public sealed class RateLimitContractTests
{
    [Fact]
    public async Task When_the_sandbox_answers_429_with_retry_after_a_burst_beyond_its_limit_still_ends_answered()
    {
        var sandbox = ContractSandbox.WithSettings(new Dictionary<string, string?> { ["RateLimitPerSecond"] = "5", ["RateLimitMode"] = "Http429" });
        await sandbox.InitializeAsync();
        try
        {
            using var gateway = new ContractGateway(o => o.MaxRetryAttempts = 6);
            var account = sandbox.Account(requestsPerSecond: 50);

            var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
                gateway.Gateway.TrackAsync(account, "ZTO", "7" + (3_400_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))));

            Assert.All(results, r => Assert.True(r.Success, $"{r.Error} {r.Reason}"));
            Assert.Contains(sandbox.Calls, c => c.Status == 429); // the limit was really hit
            Assert.Equal(12, (await sandbox.StatsAsync()).Calls("8001"));
        }
        finally
        {
            await sandbox.DisposeAsync();
        }
    }

    [Fact]
    public async Task When_the_sandbox_answers_result_code_405_the_gateway_reports_a_retriable_rate_limit_not_a_refusal()
    {
        var sandbox = ContractSandbox.WithSettings(new Dictionary<string, string?> { ["RateLimitPerSecond"] = "2", ["RateLimitMode"] = "ResultCode405" });
        await sandbox.InitializeAsync();
        try
        {
            using var gateway = new ContractGateway();
            var account = sandbox.Account(requestsPerSecond: 50);

            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                gateway.Gateway.TrackAsync(account, "ZTO", "7" + (3_500_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))));

            var limited = results.Where(r => !r.Success).ToList();
            Assert.NotEmpty(limited);
            Assert.All(limited, r =>
            {
                Assert.Equal(CarrierErrorKind.RateLimited, r.Error);
                Assert.Equal("405", r.ResultCode);
                Assert.True(r.Retriable);
            });
            Assert.Contains(results, r => r.Success);
        }
        finally
        {
            await sandbox.DisposeAsync();
        }
    }
}
