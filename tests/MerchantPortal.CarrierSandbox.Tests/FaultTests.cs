using System.Net;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task With_an_error_rate_of_one_every_call_gets_HTTP_500_until_faults_are_cleared()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var set = await sandbox.AdminPostAsync("faults", """{"errorRate":1.0,"timeoutRate":0,"tooManyRequestsRate":0,"latencyMs":0}""");
        Assert.Equal(1.0, set.GetProperty("errorRate").GetDouble());

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await sandbox.CallAsync("2002", """{"LogisticCode":"SF123456789012"}""")).Status);
        }

        await sandbox.AdminPostAsync("faults", """{"errorRate":0}""");
        Assert.Equal(HttpStatusCode.OK, (await sandbox.CallAsync("2002", """{"LogisticCode":"SF123456789012"}""")).Status);
        var current = System.Text.Json.JsonDocument.Parse(await sandbox.Http.GetStringAsync(SandboxApp.Prefix + "/admin/faults")).RootElement;
        Assert.Equal(0, current.GetProperty("errorRate").GetDouble());
    }

    [Fact]
    public async Task With_a_too_many_requests_rate_of_one_calls_get_429_with_Retry_After()
    {
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["TooManyRequestsRate"] = "1" });
        var reply = await sandbox.CallAsync("8001", Payloads.Track("ZTO", "73100000000001"));
        Assert.Equal(HttpStatusCode.TooManyRequests, reply.Status);
        Assert.NotNull(reply.Response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task More_than_twenty_calls_a_second_get_429_with_Retry_After()
    {
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["RateLimitPerSecond"] = "20" });
        var replies = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => sandbox.CallAsync("2002", """{"LogisticCode":"SF123456789012"}""")));

        var limited = replies.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.True(replies.Count(r => r.Status == HttpStatusCode.OK) >= 20);

        // Limits are per RequestType: another type is still served.
        Assert.Equal(HttpStatusCode.OK, (await sandbox.CallAsync("6001", """{"Content":"北京 朝阳区 建国路88号"}""")).Status);
    }

    [Fact]
    public async Task In_ResultCode405_mode_the_rate_limit_answers_200_with_405()
    {
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["RateLimitPerSecond"] = "2", ["RateLimitMode"] = "ResultCode405" });
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sandbox.CallAsync("2002", """{"LogisticCode":"SF123456789012"}""")));
        Assert.All(replies, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Contains(replies, r => r.ResultCode == "405" && !r.Success);
    }

    [Fact]
    public async Task A_timeout_fault_hangs_until_the_client_gives_up()
    {
        await using var sandbox = await SandboxApp.StartAsync(new Dictionary<string, string?> { ["TimeoutRate"] = "1", ["TimeoutSeconds"] = "30" });
        sandbox.Http.Timeout = TimeSpan.FromMilliseconds(500);
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => sandbox.CallAsync("2002", """{"LogisticCode":"SF123456789012"}"""));
    }
}
