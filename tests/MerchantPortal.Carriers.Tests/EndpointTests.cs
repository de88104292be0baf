namespace MerchantPortal.Carriers.Tests;

public sealed class EndpointTests
{
    [Theory]
    [InlineData("1002", "https://api.kdniao.com/Ebusiness/EbusinessOrderHandle.aspx")]
    [InlineData("2002", "https://api.kdniao.com/Ebusiness/EbusinessOrderHandle.aspx")]
    [InlineData("8001", "https://api.kdniao.com/api/dist")]
    [InlineData("8002", "https://api.kdniao.com/api/dist")]
    [InlineData("1008", "https://api.kdniao.com/api/dist")]
    [InlineData("8008", "https://api.kdniao.com/api/dist")]
    [InlineData("6001", "https://api.kdniao.com/api/dist")]
    [InlineData("1007", "https://api.kdniao.com/api/EOrderService")]
    [InlineData("1147", "https://api.kdniao.com/api/EOrderService")]
    [InlineData("1001", "https://api.kdniao.com/api/OOrderService")]
    [InlineData("1004", "https://api.kdniao.com/api/OOrderService")]
    [InlineData("1801", "https://api.kdniao.com/api/OOrderService")]
    [InlineData("1802", "https://api.kdniao.com/api/OOrderService")]
    public void Production_routes_each_request_type_to_its_documented_path(string requestType, string expected)
    {
        Assert.Equal(new Uri(expected), KdniaoEndpoints.Production.For(requestType));
    }

    [Theory]
    [InlineData("http://host/sandbox/kdniao")]
    [InlineData("http://host/sandbox/kdniao/")]
    public void A_base_url_path_prefix_is_kept(string baseUrl)
    {
        var endpoints = KdniaoEndpoints.Sandbox(new Uri(baseUrl));

        Assert.Equal(new Uri("http://host/sandbox/kdniao/api/EOrderService"), endpoints.For("1007"));
    }

    [Fact]
    public void A_path_override_replaces_the_default_and_an_empty_one_posts_to_the_base_url()
    {
        var endpoints = new KdniaoEndpoints(
            new Uri("https://api.kdniao.com"),
            new Dictionary<string, string> { ["1007"] = "/api/EOrderService2", ["1002"] = "" });

        Assert.Equal(new Uri("https://api.kdniao.com/api/EOrderService2"), endpoints.For("1007"));
        Assert.Equal(new Uri("https://api.kdniao.com"), endpoints.For("1002"));
        Assert.Equal(new Uri("https://api.kdniao.com/api/dist"), endpoints.For("8001"));
    }

    [Fact]
    public void Printing_an_account_never_shows_its_secrets()
    {
        var account = new CarrierAccountContext("a1", "1237100", "app-key-secret", KdniaoEndpoints.Production, "ZTO",
            new WaybillAccount("cust", "pwd-secret", "MC", null, null));

        var text = account.ToString();

        Assert.DoesNotContain("app-key-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("pwd-secret", text, StringComparison.Ordinal);
        Assert.Contains("1237100", text, StringComparison.Ordinal);
    }
}
