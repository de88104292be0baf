namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>One portal instance shared by the tests of a collection that only read or add independent data.</summary>
public sealed class SharedPortal : IAsyncLifetime
{
    public const string Name = "shared portal";

    public PortalFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

[CollectionDefinition(SharedPortal.Name)]
public sealed class SharedPortalCollection : ICollectionFixture<SharedPortal>;
