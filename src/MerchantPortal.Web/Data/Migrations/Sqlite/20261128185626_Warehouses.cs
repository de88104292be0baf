using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Warehouses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "Warehouses",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ContactName",
                table: "Warehouses",
                type: "TEXT",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ContactPhone",
                table: "Warehouses",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "DefaultCarrierAccountId",
                table: "Warehouses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "District",
                table: "Warehouses",
                type: "TEXT",
                maxLength: 50,
                nullable: false,
                defaultValue: "");

            migrationBuilder.UpdateData(
                table: "Warehouses",
                keyColumn: "Id",
                keyValue: 1,
                columns: new[] { "Address", "ContactName", "ContactPhone", "DefaultCarrierAccountId", "District" },
                values: new object[] { "仓前街道文一西路 1818 号 3 号仓库", "王店长", "057188886666", null, "余杭区" });

            migrationBuilder.UpdateData(
                table: "Warehouses",
                keyColumn: "Id",
                keyValue: 2,
                columns: new[] { "Address", "ContactName", "ContactPhone", "DefaultCarrierAccountId", "District" },
                values: new object[] { "太和镇物流园 B 区 12 栋", "李主管", "02066668888", null, "白云区" });

            migrationBuilder.UpdateData(
                table: "Warehouses",
                keyColumn: "Id",
                keyValue: 3,
                columns: new[] { "Address", "ContactName", "ContactPhone", "DefaultCarrierAccountId", "District" },
                values: new object[] { "亦庄经济开发区科创十三街 20 号", "赵经理", "01088889999", null, "大兴区" });

            migrationBuilder.CreateIndex(
                name: "IX_Warehouses_DefaultCarrierAccountId",
                table: "Warehouses",
                column: "DefaultCarrierAccountId");

            migrationBuilder.AddForeignKey(
                name: "FK_Warehouses_CarrierAccounts_DefaultCarrierAccountId",
                table: "Warehouses",
                column: "DefaultCarrierAccountId",
                principalTable: "CarrierAccounts",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Warehouses_CarrierAccounts_DefaultCarrierAccountId",
                table: "Warehouses");

            migrationBuilder.DropIndex(
                name: "IX_Warehouses_DefaultCarrierAccountId",
                table: "Warehouses");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "Warehouses");

            migrationBuilder.DropColumn(
                name: "ContactName",
                table: "Warehouses");

            migrationBuilder.DropColumn(
                name: "ContactPhone",
                table: "Warehouses");

            migrationBuilder.DropColumn(
                name: "DefaultCarrierAccountId",
                table: "Warehouses");

            migrationBuilder.DropColumn(
                name: "District",
                table: "Warehouses");
        }
    }
}
