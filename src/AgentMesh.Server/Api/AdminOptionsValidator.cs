using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Api;

/// <summary>Fails the node at start when the admin token is too weak; the message names the key, never the value.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.HasToken)
        {
            return ValidateOptionsResult.Success;
        }
        var token = options.Token!;
        if (string.IsNullOrWhiteSpace(token) || token.Length < AdminOptions.MinimumTokenLength)
        {
            return ValidateOptionsResult.Fail(
                $"{AdminOptions.SectionName}:Token must be at least {AdminOptions.MinimumTokenLength} non-blank characters when set (it has {token.Length}).");
        }
        return token.Trim().Length != token.Length
            ? ValidateOptionsResult.Fail($"{AdminOptions.SectionName}:Token must not start or end with whitespace.")
            : ValidateOptionsResult.Success;
    }
}
