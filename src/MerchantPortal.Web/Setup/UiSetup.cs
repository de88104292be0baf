using MudBlazor.Services;

namespace MerchantPortal.Web.Setup;

public static class UiSetup
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        // Interactive Server everywhere (App.razor): with per-page interactivity MudBlazor's popovers never open.
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }
}
