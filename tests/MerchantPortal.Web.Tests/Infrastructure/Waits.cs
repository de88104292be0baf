namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>Waiting on a condition, never a fixed sleep; shared by the integration and the end-to-end tests.</summary>
public static class Waits
{
    /// <summary>Reads until the condition holds (every 100 ms); fails with the last value seen.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Condition not met in time; last value: {(describe is null ? value : describe(value))}");
            }
            await Task.Delay(100);
        }
    }
}
