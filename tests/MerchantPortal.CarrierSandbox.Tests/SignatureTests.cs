using System.Net;
using MerchantPortal.CarrierSandbox.Protocol;

namespace MerchantPortal.CarrierSandbox.Tests;

public sealed class SignatureTests
{
    // carrier-protocol.md §1.3, the official worked example (S7/S8).
    private const string VectorData = "{'OrderCode':'','ShipperCode':'SF','LogisticCode':'118954907573'}";
    private const string VectorKey = "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17";
    private const string VectorSign = "OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE=";

    [Fact]
    public void The_official_DataSign_vector_is_reproduced_by_the_sandbox_and_by_the_test_signer()
    {
        Assert.Equal(VectorSign, KdniaoSign.Compute(VectorData, VectorKey));
        Assert.Equal(VectorSign, TestSigning.Sign(VectorData, VectorKey));
        Assert.True(KdniaoSign.Verify(VectorData, VectorKey, VectorSign));
        Assert.True(KdniaoSign.Verify(VectorData, VectorKey, "OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE%3D"));
        Assert.False(KdniaoSign.Verify(VectorData, VectorKey + "x", VectorSign));
        Assert.False(KdniaoSign.Verify(VectorData, VectorKey, ""));
    }

    [Fact]
    public async Task A_bad_sign_is_refused_and_does_nothing()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var before = await StatsAsync(sandbox);
        var payload = Payloads.Waybill("BADSIGN-1");

        var reply = await sandbox.CallAsync("1007", payload, "/api/EOrderService", sign: TestSigning.Sign(payload, "not-the-app-key"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Success);
        Assert.Equal("102", reply.ResultCode);
        Assert.Contains("签名", reply.Str("Reason"), StringComparison.Ordinal);
        Assert.Equal(before, await StatsAsync(sandbox));

        // The same OrderCode, correctly signed, is then a first issue (100), proving nothing was stored.
        var good = await sandbox.CallAsync("1007", payload, "/api/EOrderService");
        Assert.Equal("100", good.ResultCode);
    }

    [Fact]
    public async Task An_unknown_merchant_gets_104_and_missing_fields_get_101()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var unknown = await sandbox.CallAsync("1002", Payloads.Track("ZTO", "73100000000001"), eBusinessId: "9999999");
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.False(unknown.Success);
        Assert.Equal("104", unknown.ResultCode);

        var response = await sandbox.Http.PostAsync(SandboxApp.Prefix + "/api/dist", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["RequestData"] = "{}",
            ["EBusinessID"] = SandboxApp.MerchantId,
            ["RequestType"] = "1002",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.GetProperty("Success").GetBoolean());
        Assert.Equal("101", body.GetProperty("ResultCode").GetString());
        Assert.Contains("DataSign", body.GetProperty("Reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_RequestData_is_answered_with_401_and_unknown_RequestTypes_with_105()
    {
        await using var sandbox = await SandboxApp.StartAsync();
        var malformed = await sandbox.CallAsync("1002", "{'ShipperCode':'ZTO',");
        Assert.False(malformed.Success);
        Assert.Equal("401", malformed.ResultCode);

        var unknown = await sandbox.CallAsync("9999", "{}");
        Assert.False(unknown.Success);
        Assert.Equal("105", unknown.ResultCode);
    }

    private static async Task<string> StatsAsync(SandboxApp sandbox)
    {
        // simulatedNow moves with real time; everything else must be identical.
        var copy = System.Text.Json.Nodes.JsonNode.Parse((await sandbox.StatsAsync()).GetRawText())!.AsObject();
        copy.Remove("simulatedNow");
        copy.Remove("simulatedNowBeijing");
        return copy.ToJsonString();
    }
}
