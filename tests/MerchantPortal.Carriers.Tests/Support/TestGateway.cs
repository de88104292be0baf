using Microsoft.Extensions.DependencyInjection;

namespace MerchantPortal.Carriers.Tests.Support;

/// <summary>The gateway exactly as the portal registers it, with test-sized timeouts.</summary>
public sealed class TestGateway : IDisposable
{
    public const string AppKey = "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17";
    public const string EBusinessId = "test1617571";

    private readonly ServiceProvider _provider;

    public TestGateway(Action<KdniaoGatewayOptions>? configure = null, Action<IServiceCollection>? hostSetup = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        hostSetup?.Invoke(services);
        services.AddKdniaoGateway();
        services.Configure<KdniaoGatewayOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(3);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            configure?.Invoke(o);
        });
        _provider = services.BuildServiceProvider();
        Gateway = _provider.GetRequiredService<ICarrierGateway>();
    }

    public ICarrierGateway Gateway { get; }

    public static CarrierAccountContext Account(ScriptedKdniaoServer server, int requestsPerSecond = 1000, string? accountKey = null) =>
        new(
            accountKey ?? "acct-" + Guid.NewGuid().ToString("N"),
            EBusinessId,
            AppKey,
            KdniaoEndpoints.Sandbox(server.BaseUrl),
            "ZTO",
            new WaybillAccount("cust-1", "secret-pwd", "MC-9", "Site-1", null),
            requestsPerSecond);

    public void Dispose() => _provider.Dispose();
}

public static class Samples
{
    public static Party Sender => new("张三", "13800138000", null, "浙江省", "杭州市", "西湖区", "文三路 100 号", "310000", "杭州小店");

    public static Party Receiver => new("李四", "13900139000", null, "上海", "上海市", "浦东新区", "世纪大道 1 号");

    public static WaybillRequest Waybill(string orderCode = "SO-1001") => new(
        orderCode, null, PayType: 3, ExpType: 1, Sender, Receiver,
        [new Commodity("保温杯", Quantity: 2, Price: 59.9m, WeightKg: 0.4m)],
        WeightKg: 0.8m, Quantity: 1, Remark: "轻拿轻放", ReturnPrintTemplate: true);

    public static PickupRequest Pickup(string orderCode = "RT-2001") => new(
        orderCode, "SF", Receiver, Sender,
        new DateTime(2024, 1, 2, 1, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 2, 5, 0, 0, DateTimeKind.Utc),
        [new Commodity("保温杯", Quantity: 1)], 0.4m, "退货");
}
