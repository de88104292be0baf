using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>
/// Settings fail early: every options class is bound from its section, checked against its data annotations (and
/// <see cref="IValidatableObject"/> for rules across fields) and validated on start, so a wrong value stops start-up
/// with the configuration key and the reason instead of surfacing in the first job or request that reads it.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/>, validated on start; consumers take IOptions&lt;T&gt;.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new SectionValidator<T>(section)));
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// For the few settings that decide the wiring itself (which database, whether this process runs a Hangfire
    /// server, the cookie lifetimes): read and validated while services are registered, with the same messages.
    /// </summary>
    public static T GetValidated<T>(this IConfiguration configuration, string section)
        where T : class, new()
    {
        T value;
        try
        {
            value = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key and the value it could not convert ("Oracle" for an enum).
            throw new OptionsValidationException(Options.DefaultName, typeof(T), [ex.Message]);
        }
        var result = new SectionValidator<T>(section).Validate(Options.DefaultName, value);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures);
        }
        return value;
    }

    /// <summary>Data annotations whose failures are prefixed with the configuration key they came from.</summary>
    private sealed class SectionValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                return ValidateOptionsResult.Success;
            }
            return ValidateOptionsResult.Fail(results.Select(Describe));
        }

        private string Describe(ValidationResult result)
        {
            var message = result.ErrorMessage ?? "is not valid.";
            // Messages written for the portal already start with their key ("Tracking:FutureScanTolerance must …").
            if (message.StartsWith(section + ":", StringComparison.Ordinal))
            {
                return message;
            }
            var members = result.MemberNames.ToList();
            var key = members.Count == 0 ? section : string.Join(", ", members.Select(m => $"{section}:{m}"));
            return $"{key}: {message}";
        }
    }
}
