namespace MerchantPortal.Carriers.Tests;

public sealed class SigningTests
{
    [Fact]
    public void The_official_test_vector_produces_the_published_DataSign()
    {
        // carrier-protocol.md §1.3 (S7/S8), single quotes included as in the official demos.
        var sign = KdniaoSigner.Sign("{'OrderCode':'','ShipperCode':'SF','LogisticCode':'118954907573'}", "56da2cf8-c8a2-44b2-b6fa-476cd7d1ba17");

        Assert.Equal("OWFhM2I5N2ViM2U2MGRkMjc4YzU2NmVlZWI3ZDk0MmE=", sign);
    }

    [Fact]
    public void A_DataSign_is_always_44_characters_ending_in_a_single_equals_sign()
    {
        var random = new Random(20240102);
        for (var i = 0; i < 2000; i++)
        {
            var data = "{\"LogisticCode\":\"" + random.NextInt64() + "\",\"Name\":\"张三" + i + "\"}";
            var sign = KdniaoSigner.Sign(data, Guid.NewGuid().ToString());

            Assert.Equal(44, sign.Length);
            Assert.EndsWith("=", sign, StringComparison.Ordinal);
            Assert.False(sign.EndsWith("==", StringComparison.Ordinal), sign);
            Assert.DoesNotContain('+', sign);
            Assert.DoesNotContain('/', sign);
        }
    }

    [Fact]
    public void The_sign_changes_when_one_character_of_the_data_or_key_changes()
    {
        var baseline = KdniaoSigner.Sign("{\"A\":\"1\"}", "key");

        Assert.NotEqual(baseline, KdniaoSigner.Sign("{\"A\":\"2\"}", "key"));
        Assert.NotEqual(baseline, KdniaoSigner.Sign("{\"A\":\"1\"}", "kez"));
    }
}
