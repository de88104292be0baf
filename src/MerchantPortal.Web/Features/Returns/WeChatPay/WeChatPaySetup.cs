using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace MerchantPortal.Web.Features.Returns.WeChatPay;

public static class WeChatPaySetup
{
    /// <summary>
    /// The typed client with retries decided per request: a query (GET) is retried on transient
    /// failures; the refund application is sent once — the query job recovers a lost answer without a blind repeat.
    /// </summary>
    public static IServiceCollection AddWeChatPayClient(this IServiceCollection services)
    {
        var client = services.AddHttpClient<WeChatPayClient>(c => c.Timeout = Timeout.InfiniteTimeSpan);
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddResilienceHandler("wechatpay", (builder, context) =>
        {
            builder.AddTimeout(TimeSpan.FromSeconds(30));
            if (context.InstanceName == "query")
            {
                builder.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(500) });
            }
            builder.AddTimeout(TimeSpan.FromSeconds(10));
        }).SelectPipelineBy(_ => request => request.Method == HttpMethod.Get ? "query" : "apply");
        return services;
    }
}
