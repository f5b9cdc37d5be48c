"""reporter: 民生实事年度任务台帐工具."""
__version__ = "0.1.0"
