"""Configs shared by several test modules."""

# harness-kimi.md 5.4, example 1 (Kimi Code issue #834), literally: GLM-5.2 on Zhipu,
# 1,000,000-token window, 131,072-token output limit. Passes `kimi doctor config` on 2.1.0.
GLM_5_2 = """\
default_model = "zhipu/glm-5.2"
[providers.zhipu]
type = "openai"
base_url = "https://open.bigmodel.cn/api/paas/v4"
api_key = ""
[models."zhipu/glm-5.2"]
provider = "zhipu"
model = "glm-5.2"
max_context_size = 1000000
max_output_size = 131072
capabilities = [ "thinking" ]
[loop_control]
reserved_context_size = 50000
compaction_trigger_ratio = 0.99
"""
