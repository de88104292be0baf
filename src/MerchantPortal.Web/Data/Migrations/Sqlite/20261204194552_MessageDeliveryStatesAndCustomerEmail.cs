using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageDeliveryStatesAndCustomerEmail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreviousSecretProtected",
                table: "WebhookSubscriptions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PreviousSecretUntilUtc",
                table: "WebhookSubscriptions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CustomerCulture",
                table: "Orders",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CustomerEmail",
                table: "Orders",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "QuietHours",
                table: "NotificationTemplates",
                type: "TEXT",
                maxLength: 11,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "NotificationDeliveryLog",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // Rows logged before delivery states: the log-only sender's never left the portal, the others a gateway accepted.
            migrationBuilder.Sql("UPDATE NotificationDeliveryLog SET State = CASE WHEN Provider = 'log' THEN 'LoggedNotSent' ELSE 'Sent' END");

            migrationBuilder.AddColumn<DateTime>(
                name: "StateAtUtc",
                table: "NotificationDeliveryLog",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StateDetail",
                table: "NotificationDeliveryLog",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 1,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 2,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 3,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 4,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 5,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 6,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 7,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 8,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 9,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 10,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 11,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 12,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 13,
                column: "QuietHours",
                value: null);

            migrationBuilder.UpdateData(
                table: "NotificationTemplates",
                keyColumn: "Id",
                keyValue: 14,
                column: "QuietHours",
                value: null);

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_Provider_ProviderMessageId",
                table: "NotificationDeliveryLog",
                columns: new[] { "Provider", "ProviderMessageId" });

            migrationBuilder.CreateIndex(
                name: "IX_NotificationDeliveryLog_State_SentAtUtc",
                table: "NotificationDeliveryLog",
                columns: new[] { "State", "SentAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_NotificationDeliveryLog_Provider_ProviderMessageId",
                table: "NotificationDeliveryLog");

            migrationBuilder.DropIndex(
                name: "IX_NotificationDeliveryLog_State_SentAtUtc",
                table: "NotificationDeliveryLog");

            migrationBuilder.DropColumn(
                name: "PreviousSecretProtected",
                table: "WebhookSubscriptions");

            migrationBuilder.DropColumn(
                name: "PreviousSecretUntilUtc",
                table: "WebhookSubscriptions");

            migrationBuilder.DropColumn(
                name: "CustomerCulture",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "CustomerEmail",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "QuietHours",
                table: "NotificationTemplates");

            migrationBuilder.DropColumn(
                name: "State",
                table: "NotificationDeliveryLog");

            migrationBuilder.DropColumn(
                name: "StateAtUtc",
                table: "NotificationDeliveryLog");

            migrationBuilder.DropColumn(
                name: "StateDetail",
                table: "NotificationDeliveryLog");
        }
    }
}
