using MerchantPortal.Web.Components.Shared;
using MudBlazor;
using MudBlazor.Services;

namespace MerchantPortal.Web.Setup;

public static class UiSetup
{
    public static IServiceCollection AddPortalUi(this IServiceCollection services)
    {
        // Interactive Server everywhere (App.razor): with per-page interactivity MudBlazor's popovers never open.
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        // MudBlazor's built-in strings (pagers, pickers, dialogs) in Chinese too.
        services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        return services;
    }
}
